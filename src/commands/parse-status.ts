import { DELIVERY_STATUSES, type DeliveryStatus } from '../domain/delivery.js';
import { BadRequestError } from '../errors.js';

/** `--status dead`: one of the delivery statuses, or a clear error listing them. */
export function parseStatus(v: string | undefined, flag = '--status'): DeliveryStatus | undefined {
  if (v === undefined) return undefined;
  if (!(DELIVERY_STATUSES as readonly string[]).includes(v)) throw new BadRequestError(`${flag} must be one of ${DELIVERY_STATUSES.join(', ')}`);
  return v as DeliveryStatus;
}
