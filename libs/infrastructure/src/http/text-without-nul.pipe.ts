import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError } from '@app/domain';

export class NulInTextError extends DomainError {
  readonly code = 'request.nul-in-text';
  readonly kind = 'invalid' as const;
}

const NUL = '\u0000';

/** The path of the first string holding a NUL in `value` (`filter.conditions[0]`), or null for none. */
const pathOfNul = (value: unknown, path: string): string | null => {
  if (typeof value === 'string') return value.includes(NUL) ? path : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = pathOfNul(item, `${path}[${index}]`);
      if (found !== null) return found;
    }
    return null;
  }
  // Plain objects only (a parsed query has no prototype): a raw snapshot's bytes (a Buffer) are the
  // pipeline's to read, NULs and all.
  const prototype = value !== null && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (prototype === Object.prototype || prototype === null) {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const found = pathOfNul(key, path ? `${path}.${key}` : key) ?? pathOfNul(item, path ? `${path}.${key}` : key);
      if (found !== null) return found;
    }
  }
  return null;
};

/**
 * Refuses text holding a NUL character in a request's query, path or JSON body, naming where: no text
 * column of PostgreSQL can store one, so it would otherwise fail as a 500 deep in a query.
 */
@Injectable()
export class TextWithoutNulPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const at = pathOfNul(value, metadata.data ?? '');
    if (at !== null) {
      const where = at === '' ? `the request's ${metadata.type}` : `${metadata.type} ${at}`;
      throw new NulInTextError(`${where} holds a NUL character (\\u0000), which no text can hold`, {
        in: metadata.type,
        field: at,
      });
    }
    return value;
  }
}
