import { randomBytes } from 'node:crypto';
import { DomainError } from '@app/domain';
import { InvalidSubscriptionError } from './subscription.js';

/** How long a rotated-out secret keeps signing beside the new one. */
export const ROTATION_GRACE_MS = 24 * 3_600_000;

export const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

export const checkName = (name: string | null | undefined): string | null => {
  if (name == null) return null;
  if (name.trim() === '' || name.length > 200) throw new InvalidSubscriptionError('name must be 1 to 200 characters');
  return name.trim();
};

export class DeliveryNotFoundError extends DomainError {
  readonly code = 'delivery.not-found';
  readonly kind = 'not-found' as const;
}
