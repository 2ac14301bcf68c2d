import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError } from '@app/domain';

export class RepeatedQueryParameterError extends DomainError {
  readonly code = 'request.repeated-parameter';
  readonly kind = 'invalid' as const;
  constructor(parameter: string, values: readonly unknown[]) {
    super(`${parameter} was given ${values.length} times; it takes one value`, { parameter, values: [...values] });
  }
}

/**
 * Whether a parameter takes one value: a query parameter given twice (`?limit=10&limit=20`) arrives
 * as a list, which the validators would judge as if it were one value, naming faults it does not
 * have ("limit must not be less than 1"). A parameter typed as a list takes several; one the route
 * does not declare is left to the validators.
 */
const takesOneValue = (metatype: ArgumentMetadata['metatype'], parameter: string | undefined): boolean => {
  if (!metatype) return false;
  const type: unknown =
    parameter === undefined ? metatype : Reflect.getMetadata('design:type', metatype.prototype as object, parameter);
  return type !== undefined && type !== Array;
};

/** Refuses a query parameter that takes one value given more than once, naming it. */
@Injectable()
export class QueryGivenOncePipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'query') return value;
    // One parameter (`@Query('since')`), or the whole query read into a class of parameters.
    if (metadata.data !== undefined) {
      if (Array.isArray(value) && takesOneValue(metadata.metatype, undefined))
        throw new RepeatedQueryParameterError(metadata.data, value);
      return value;
    }
    if (value === null || typeof value !== 'object') return value;
    for (const [parameter, given] of Object.entries(value as Record<string, unknown>)) {
      if (Array.isArray(given) && takesOneValue(metadata.metatype, parameter))
        throw new RepeatedQueryParameterError(parameter, given);
    }
    return value;
  }
}
