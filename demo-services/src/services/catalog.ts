// The shop's catalogue, seeded into the inventory database on first start. `restockTo` 0 marks
// a limited edition that sells out for good: a realistic reason for a saga to fail early.
export interface CatalogItem {
  sku: string;
  name: string;
  priceCents: number;
  stock: number;
  restockTo: number;
}

export const CATALOG: readonly CatalogItem[] = [
  { sku: 'KB-001', name: 'Mechanical keyboard', priceCents: 12900, stock: 500, restockTo: 500 },
  { sku: 'MS-002', name: 'Wireless mouse', priceCents: 4900, stock: 800, restockTo: 800 },
  { sku: 'MN-003', name: '27" monitor', priceCents: 32900, stock: 200, restockTo: 200 },
  { sku: 'HS-004', name: 'Noise-cancelling headset', priceCents: 19900, stock: 300, restockTo: 300 },
  { sku: 'CB-005', name: 'USB-C cable', priceCents: 1500, stock: 2000, restockTo: 2000 },
  { sku: 'DK-006', name: 'Docking station', priceCents: 17900, stock: 250, restockTo: 250 },
  { sku: 'WC-007', name: '4K webcam', priceCents: 8900, stock: 400, restockTo: 400 },
  { sku: 'LS-008', name: 'Laptop stand', priceCents: 3900, stock: 600, restockTo: 600 },
  { sku: 'SD-009', name: '1 TB SSD', priceCents: 9900, stock: 500, restockTo: 500 },
  { sku: 'MP-010', name: 'Desk mat', priceCents: 2500, stock: 1000, restockTo: 1000 },
  { sku: 'LE-011', name: 'Limited edition keycaps', priceCents: 7900, stock: 25, restockTo: 0 },
];
