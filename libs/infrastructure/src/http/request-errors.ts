import { DomainError } from '@app/domain';

/** A JSON body that is not an object (`null`, `"x"`, `[…]`): every JSON route takes an object. */
export class BodyNotAnObjectError extends DomainError {
  readonly code = 'request.body-not-an-object';
  readonly kind = 'invalid' as const;
}
