// Usage metering: reads usage out of upstream responses and estimates requests before they go.
export { createResponseMeter, type MeterOptions, type ResponseMeter } from './response-meter.js';
export { estimateInputTokens } from './estimate.js';
export { providerDialect, type ProviderDialect } from './provider-dialect.js';
export { speechCharacters } from './openai-media-usage.js';
