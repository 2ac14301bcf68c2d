import { DomainError } from '@app/domain';

/** A body the route cannot read as sent: another Content-Type than JSON, or JSON in another charset than UTF-8. */
export class UnsupportedMediaTypeError extends DomainError {
  readonly code = 'request.unsupported-media-type';
  readonly kind = 'invalid' as const;
}

/** A body in a Content-Encoding the api does not undo (`compress`). */
export class UnsupportedContentEncodingError extends DomainError {
  readonly code = 'request.unsupported-content-encoding';
  readonly kind = 'invalid' as const;
}

/** A JSON body that is not an object (`null`, `"x"`, `[…]`): every JSON route takes an object. */
export class BodyNotAnObjectError extends DomainError {
  readonly code = 'request.body-not-an-object';
  readonly kind = 'invalid' as const;
}
