import type { MetricsRow } from '../api/api-client.ts';

/** All outcomes since the start, per table and reason: the chart's numbers as a table. */
export function OutcomeTotals(props: { outcomes: MetricsRow[] }) {
  const rows = props.outcomes.filter((row) => row.status !== 'applied');
  const applied = props.outcomes.filter((row) => row.status === 'applied').reduce((sum, row) => sum + row.count, 0);
  return (
    <div className="totals">
      <h2>All time</h2>
      <p className="hint">{applied} changes applied without trouble.</p>
      {rows.length > 0 && (
        <table data-testid="outcome-totals">
          <thead>
            <tr>
              <th scope="col">Table</th>
              <th scope="col">Outcome</th>
              <th scope="col">Reason</th>
              <th scope="col" className="number">
                Count
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.table}-${row.status}-${row.code}`}>
                <td>{row.table}</td>
                <td>{row.status}</td>
                <td>
                  <code>{row.code ?? '—'}</code>
                </td>
                <td className="number">{row.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
