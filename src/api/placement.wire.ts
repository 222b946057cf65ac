/**
 * A binding's display options on the wire (placement.get, parley.placement.list): the OPTIONS keys a
 * place takes, as strings, the way placement.bind received them (`{"extranet":"N","context":"ALL",
 * "role":"USER"}` for IM_CONTEXT_MENU).
 */
import { PLACES, type PlacementOptions } from '../domain/placements.ts';

/** The OPTIONS object of a binding of `placement`. */
export function wireOptions(placement: string, o: PlacementOptions): Record<string, string> {
  const place = PLACES[placement];
  const out: Record<string, string> = {};
  if (o.iconName) out.iconName = o.iconName;
  out.extranet = o.extranet ? 'Y' : 'N';
  if (place?.context) out.context = o.context.join(';');
  out.role = o.adminOnly ? 'ADMIN' : 'USER';
  if (o.color) out.color = o.color;
  if (o.width !== undefined) out.width = String(o.width);
  if (o.height !== undefined) out.height = String(o.height);
  return out;
}
