import { healthLabels } from '../format/labels';
import { type HealthCounts, type HealthFilter, healthFilters } from './service-filter';

interface HealthFilterBarProps {
  readonly value: HealthFilter;
  readonly counts: HealthCounts;
  readonly onChange: (filter: HealthFilter) => void;
}

/** One toggle per health with its count; the pressed one filters the cards. */
export function HealthFilterBar({ value, counts, onChange }: HealthFilterBarProps) {
  return (
    <fieldset className="bw-filter">
      <legend className="bw-visually-hidden">Filter by health</legend>
      {healthFilters.map((filter) => (
        <button
          key={filter}
          type="button"
          className={`bw-filter-button bw-filter-${filter}`}
          aria-pressed={value === filter}
          onClick={() => onChange(filter)}
        >
          {filter === 'all' ? 'All' : healthLabels[filter]}
          <span className="bw-filter-count">{counts[filter]}</span>
        </button>
      ))}
    </fieldset>
  );
}
