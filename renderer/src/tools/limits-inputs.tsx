// The limit inputs, shared by "create tool" and "edit limits".
import type { LimitFields } from './limits-fields.js';

export function LimitsInputs(props: {
  idPrefix: string;
  value: LimitFields;
  onChange: (next: LimitFields) => void;
  invalid?: keyof LimitFields;
}) {
  const { idPrefix, value, onChange, invalid } = props;
  const field = (
    key: Exclude<keyof LimitFields, 'allowUnpriced'>,
    label: string,
    extra: { inputMode?: 'decimal' | 'numeric'; placeholder?: string },
  ) => (
    <label className="field" htmlFor={`${idPrefix}-${key}`}>
      <span>{label}</span>
      <input
        id={`${idPrefix}-${key}`}
        data-testid={`${idPrefix}-${key}`}
        value={value[key]}
        aria-invalid={invalid === key || undefined}
        inputMode={extra.inputMode}
        placeholder={extra.placeholder}
        onChange={(e) => onChange({ ...value, [key]: e.target.value })}
      />
    </label>
  );
  return (
    <div className="field-grid">
      {field('dailyUsd', 'Daily budget (USD)', { inputMode: 'decimal', placeholder: 'no limit' })}
      {field('monthlyUsd', 'Monthly budget (USD)', { inputMode: 'decimal', placeholder: 'no limit' })}
      {field('rpm', 'Requests / minute', { inputMode: 'numeric', placeholder: 'no limit' })}
      {field('tpm', 'Tokens / minute', { inputMode: 'numeric', placeholder: 'no limit' })}
      {field('models', 'Allowed models (globs, comma-separated)', { placeholder: 'all models' })}
      {field('planMaxPercent5h', 'Plan tools: stop at % of the 5-hour window', {
        inputMode: 'decimal',
        placeholder: 'no limit',
      })}
      <label className="field checkbox" htmlFor={`${idPrefix}-allowUnpriced`}>
        <input
          id={`${idPrefix}-allowUnpriced`}
          data-testid={`${idPrefix}-allowUnpriced`}
          type="checkbox"
          checked={value.allowUnpriced}
          onChange={(e) => onChange({ ...value, allowUnpriced: e.target.checked })}
        />
        <span>
          Allow models with no known price, and endpoints Shimmy cannot price (batches, fine-tuning …); their
          spend is not counted against the budget
        </span>
      </label>
    </div>
  );
}
