import { useLabStore } from '../../state/store';

/** "About this model set": the set's card (models/model_set/card.ts), with the raw meta.json one link away. */
export function AboutModelSet() {
  const card = useLabStore((s) => s.modelCard);
  if (!card) return null;
  const facts = [
    ['Backbone', card.backbone],
    ['Training data', card.trainingData],
    ['Parameters', card.parameters],
    ['Exported', card.exported],
  ].filter((f): f is [string, string] => f[1] !== null);
  return (
    <details className="model-card" data-testid="model-summary">
      <summary>About this model set</summary>
      <div data-testid="model-card">
        {card.summary && <p>{card.summary}</p>}
        {card.supervision && <p className="muted">{card.supervision}</p>}
        <h3>Classes ({card.classes.length})</h3>
        <p data-testid="model-card-classes">{card.classes.join(', ')}</p>
        {card.headClasses && (
          <p className="muted">
            Its heads were trained on {card.headClasses.length} of them: {card.headClasses.join(', ')}.
          </p>
        )}
        {facts.length > 0 && (
          <dl>
            {facts.map(([term, value]) => (
              <div key={term}>
                <dt>{term}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        )}
        {card.licences.length > 0 && (
          <>
            <h3>Licences</h3>
            <ul data-testid="model-card-licences">
              {card.licences.map((l) => (
                <li key={l.part}>
                  {l.part}: <strong>{l.licence}</strong>
                </li>
              ))}
            </ul>
          </>
        )}
        {card.evaluation.length > 0 && (
          <>
            <h3>Evaluation</h3>
            <table data-testid="model-card-eval">
              <thead>
                <tr>
                  <th scope="col" />
                  <th scope="col">CAM</th>
                  <th scope="col">+ walk</th>
                  <th scope="col">seg</th>
                </tr>
              </thead>
              <tbody>
                {card.evaluation.map((row) => (
                  <tr key={row.what}>
                    <th scope="row">{row.what}</th>
                    <td>{row.cam}</td>
                    <td>{row.rw}</td>
                    <td>{row.seg}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        {card.problem && <p className="error">{card.problem}</p>}
        {card.rawMetaUrl && (
          <p>
            <a href={card.rawMetaUrl} target="_blank" rel="noopener" data-testid="raw-meta-link">
              raw meta.json
            </a>
          </p>
        )}
      </div>
    </details>
  );
}
