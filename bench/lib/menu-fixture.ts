/**
 * The 100 menu items every benchmark serves, with fixed ids. Imports nothing from the app, so
 * the peer servers (bench/servers/peers.ts) load none of its modules.
 */

export const MENU_SIZE = 100;

/** A valid v4-shaped UUID from a family prefix and an index. */
export const fixedId = (family: number, index: number) => `b${family.toString(16).padStart(7, '0')}-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;

export interface BenchMenuItem {
  id: string;
  name: string;
  price: number;
  description: string;
  image: string;
}

/** The menu item at `index` (from 0) of the fixtures. */
export const benchMenuItem = (index: number): BenchMenuItem => ({
  id: fixedId(1, index),
  name: `Dish number ${index + 1}`,
  price: 199 + ((index * 37) % 1800),
  description: `A house speciality, freshly made every morning; portion ${index % 3 === 0 ? 'large' : 'regular'}.`,
  image: `https://cdn.example.com/menu/dish-${index + 1}-sm.png`,
});

export const benchMenuItems = (count = MENU_SIZE): BenchMenuItem[] => Array.from({ length: count }, (_, index) => benchMenuItem(index));
