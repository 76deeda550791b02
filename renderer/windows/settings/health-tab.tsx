/**
 * Health tab: where each system-health gauge turns amber and red (settings.healthThresholds).
 * For window frames per second, lower is worse: red is below amber.
 */
import type { HealthThresholds } from '../../../shared/domain';
import { ApplyBar, NumberField, SettingsForm, bindNumber } from './fields';
import { useTabForm, type FormSpec, type TabForm } from './settings-context';

interface HealthDraft {
  readonly healthThresholds: HealthThresholds;
}

const HEALTH_FORM: FormSpec<HealthDraft> = {
  tab: 'health',
  fromSettings: (settings) => ({ healthThresholds: settings.healthThresholds }),
  toPatch: (draft) => ({ healthThresholds: draft.healthThresholds }),
  fallback: (settings) => ({ healthThresholds: settings.healthThresholds }),
};

/** The gauges, as the trader reads them, with their unit. */
const GAUGES: ReadonlyArray<{ readonly key: keyof HealthThresholds; readonly name: string; readonly unit: string; readonly integer?: boolean; readonly lowerIsWorse?: boolean }> = [
  { key: 'feedLatencyMs', name: 'Feed latency p99', unit: 'ms' },
  { key: 'eventLoopMs', name: 'Engine event loop p99', unit: 'ms' },
  { key: 'cpuPercent', name: 'Engine CPU', unit: '% of a core' },
  { key: 'reconnects', name: 'Feed reconnects', unit: 'this session', integer: true },
  { key: 'orderRoundTripMs', name: 'Order round trip p99', unit: 'ms' },
  { key: 'windowFps', name: 'Window frame rate', unit: 'fps', lowerIsWorse: true },
];

/** The Health tab: amber and red limits of each health gauge. */
export function HealthTab() {
  const form = useTabForm(HEALTH_FORM);
  if (!form) return <p className="muted">Loading settings…</p>;
  const f: TabForm<unknown> = form;
  return (
    <SettingsForm form={f} label="Health thresholds">
      <p className="muted">A gauge turns amber at its amber limit and red at its red limit; for the frame rate, lower is worse.</p>
      <table className="grid health-thresholds" aria-label="Health thresholds">
        <thead>
          <tr>
            <th scope="col">Gauge</th>
            <th scope="col">Amber at</th>
            <th scope="col">Red at</th>
          </tr>
        </thead>
        <tbody>
          {GAUGES.map((g) => (
            <tr key={g.key} data-gauge={g.key}>
              <th scope="row">
                {g.name} ({g.unit}){g.lowerIsWorse ? ' — lower is worse' : ''}
              </th>
              <td>
                <NumberField hideLabel label={`${g.name} amber (${g.unit})`} {...bindNumber(f, `healthThresholds.${g.key}.amber`)} min={0} step={g.integer ? 1 : 'any'} />
              </td>
              <td>
                <NumberField hideLabel label={`${g.name} red (${g.unit})`} {...bindNumber(f, `healthThresholds.${g.key}.red`)} min={0} step={g.integer ? 1 : 'any'} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ApplyBar form={f} note="The health window uses the new limits at once." />
    </SettingsForm>
  );
}
