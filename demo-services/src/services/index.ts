// Every service of the fleet by name.
import type { ServiceName } from '../settings.js';
import { gateway } from './gateway.js';
import { inventory } from './inventory.js';
import { notifications } from './notifications.js';
import { orders } from './orders.js';
import { payments } from './payments.js';
import type { ServiceDefinition } from './service.js';
import { users } from './users.js';

export const DEFINITIONS: Readonly<Record<ServiceName, ServiceDefinition>> = {
  gateway,
  users,
  orders,
  payments,
  inventory,
  notifications,
};
