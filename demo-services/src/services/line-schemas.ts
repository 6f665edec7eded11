// Order lines travel between orders and inventory in the same two shapes: what a caller asks
// for (SKU and quantity, validated) and what was priced (with the unit price). One definition
// keeps both services' validation and responses in step.

/** A requested line: which SKU, how many. */
export const requestedLinesSchema = {
  type: 'array',
  minItems: 1,
  maxItems: 20,
  items: {
    type: 'object',
    required: ['sku', 'quantity'],
    additionalProperties: false,
    properties: {
      sku: { type: 'string', minLength: 1, maxLength: 32 },
      quantity: { type: 'integer', minimum: 1, maximum: 100 },
    },
  },
} as const;

/** A priced line, as stored with a reservation or an order. */
export const pricedLinesSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      sku: { type: 'string' },
      quantity: { type: 'integer' },
      unit_price_cents: { type: 'integer' },
    },
  },
} as const;
