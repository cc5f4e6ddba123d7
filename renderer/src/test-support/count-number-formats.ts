// Counts the Intl.NumberFormat objects built from here on: formatters are meant to be built once
// per locale and style, not per figure. Undone by vi.restoreAllMocks().
import { vi } from 'vitest';

export function countNumberFormats(): { readonly built: number } {
  const Real = Intl.NumberFormat;
  const counter = { built: 0 };
  // A plain function, so `new` works on it; returning an object makes `new` give that object.
  function Counting(...args: ConstructorParameters<typeof Real>) {
    counter.built++;
    return new Real(...args);
  }
  vi.spyOn(Intl, 'NumberFormat').mockImplementation(Counting as unknown as typeof Intl.NumberFormat);
  return counter;
}
