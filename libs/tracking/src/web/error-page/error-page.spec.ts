import { BadRequestException, NotFoundException } from '@nestjs/common';
import * as cheerio from 'cheerio';
import { DomainError, InvalidNctIdError } from '@app/domain';
import { TrialNotFoundError } from '../../read-models/index.js';
import { errorContentOf, errorPage } from './error-page.js';

describe('error pages', () => {
  it('answers an unknown trial with 404, naming it and keeping it in the search box', () => {
    const content = errorContentOf(new TrialNotFoundError('NCT09999999'));
    expect(content).toMatchObject({
      status: 404,
      title: 'Trial not found',
      code: 'trial.not-found',
      searchValue: 'NCT09999999',
    });
    const $ = cheerio.load(errorPage(content));
    expect($('h1').text()).toBe('Trial not found');
    expect($('main').text()).toContain('trialwatch has no snapshot of NCT09999999');
    expect($('#nct-search-input').attr('value')).toBe('NCT09999999');
  });

  it('answers a malformed NCT ID with 400', () => {
    expect(errorContentOf(new InvalidNctIdError('NCT123'))).toMatchObject({
      status: 400,
      title: 'That is not an NCT ID',
      searchValue: 'NCT123',
    });
  });

  it('keeps the status and message of HTTP errors, such as a rejected filter', () => {
    expect(errorContentOf(new BadRequestException(['type must be one of the event types']))).toMatchObject({
      status: 400,
      title: 'Bad request',
      message: 'type must be one of the event types',
    });
    expect(errorContentOf(new NotFoundException('No asset x.css'))).toMatchObject({
      status: 404,
      message: 'No asset x.css',
    });
  });

  it('answers a request without a valid API key with 401', () => {
    class MissingKey extends DomainError {
      readonly code = 'auth.api-key-missing';
      readonly kind = 'unauthenticated' as const;
    }
    expect(errorContentOf(new MissingKey('An API key is required'))).toMatchObject({
      status: 401,
      title: 'API key required',
      message: 'An API key is required',
    });
  });

  it('tells nothing of an unexpected error but that it happened', () => {
    const content = errorContentOf(new Error('password=hunter2 at db.internal'));
    expect(content).toMatchObject({ status: 500, title: 'Something went wrong' });
    expect(errorPage(content)).not.toContain('hunter2');
  });
});
