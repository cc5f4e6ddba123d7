// Prices and cost: built-in list prices, a refreshable LiteLLM-format list, user overrides.
export { BUILTIN_PRICES, BUILTIN_PRICES_DATE } from './builtin-prices.js';
export { costUsd } from './cost.js';
export { createPriceBook, type PriceBook, type PriceMatch } from './price-book.js';
export { loadRefreshedPrices, refreshPriceList } from './price-list-file.js';
