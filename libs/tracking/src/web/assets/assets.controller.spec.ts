import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { NotFoundException } from '@nestjs/common';
import type { Response } from 'express';
import { ASSETS, assetPath } from './asset-paths.js';
import { AssetsController } from './assets.controller.js';

/** What the controller hands to Express for one request. */
const sent = (name: string, version?: string) => {
  const result = { contentType: '', headers: {} as Record<string, string>, body: '' };
  const response = {
    type(contentType: string) {
      result.contentType = contentType;
      return this;
    },
    set(headers: Record<string, string>) {
      result.headers = headers;
      return this;
    },
    send(body: string) {
      result.body = body;
      return this;
    },
  };
  new AssetsController().serve(name, version, response as unknown as Response);
  return result;
};

describe('web page assets', () => {
  it.each([
    ['trialwatch.css', /^text\/css; charset=utf-8$/],
    ['trialwatch.js', /^text\/javascript; charset=utf-8$/],
  ])('serves %s from the file beside its module, versioned by its content', (name, contentType) => {
    const file = readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
    const version = createHash('sha256').update(file).digest('hex').slice(0, 12);
    expect(assetPath(name)).toBe(`/ui/assets/${name}?v=${version}`);

    const response = sent(name, version);
    expect(response.contentType).toMatch(contentType);
    expect(response.body).toBe(file);
    expect(response.headers).toEqual({
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
  });

  it('lets only the versioned URL be cached for good', () => {
    expect(sent('trialwatch.css').headers['cache-control']).toBe('no-cache');
    expect(sent('trialwatch.css', 'an-old-version').headers['cache-control']).toBe('no-cache');
  });

  it('has no other assets', () => {
    expect(Object.keys(ASSETS).sort()).toEqual(['trialwatch.css', 'trialwatch.js']);
    expect(() => sent('stylesheet.ts')).toThrow(NotFoundException);
    expect(() => sent('toString')).toThrow(NotFoundException);
  });
});
