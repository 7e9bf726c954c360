/** A foreign key as the delta spells it: `(tenant_id) → tenants(id) ON DELETE CASCADE`; NO ACTION is left out. */
import type { ForeignKey } from './model.js';

export function describeForeignKey(fk: ForeignKey): string {
  const parent = fk.to.length > 0 ? `${fk.table}(${fk.to.join(', ')})` : fk.table;
  let text = `(${fk.from.join(', ')}) → ${parent}`;
  if (fk.onDelete && fk.onDelete.toUpperCase() !== 'NO ACTION') text += ` ON DELETE ${fk.onDelete.toUpperCase()}`;
  if (fk.onUpdate && fk.onUpdate.toUpperCase() !== 'NO ACTION') text += ` ON UPDATE ${fk.onUpdate.toUpperCase()}`;
  return text;
}
