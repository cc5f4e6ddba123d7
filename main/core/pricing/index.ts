// Prices and cost: the @pydantic/genai-prices catalog (bundled, refreshed in the background), the
// user's own prices, and one cost function over the full normalized Usage.
export {
  bundledCatalog,
  catalogLibrary,
  parseCatalogProviders,
  type Catalog,
  type CatalogProvider,
} from './catalog.js';
export { loadCatalogFile, saveCatalogFile } from './catalog-file.js';
export {
  CATALOG_REFRESH_MS,
  DEFAULT_CATALOG_URL,
  refreshCatalog,
  type RefreshResult,
} from './catalog-refresh.js';
export { catalogProviderFor, type ServingProvider } from './catalog-provider.js';
export { loadLegacyPrices } from './legacy-price-list.js';
export {
  createPrices,
  priceUsage,
  tierStarts,
  type PriceMatch,
  type PriceQuery,
  type Prices,
} from './price-lookup.js';
export { tierFactor } from './service-tiers.js';
export { openPriceCatalog, type CatalogStatus, type PriceCatalogService } from './price-catalog-service.js';
export { listPrices } from './price-list.js';
export { unpricedModels } from './unpriced-models.js';
