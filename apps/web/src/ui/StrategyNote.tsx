import type { ReactNode } from 'react';

/** The one-paragraph explanation at the top of each screen: the strategy, and what you will see. */
export function StrategyNote(props: { title: string; strategy: string; children: ReactNode }) {
  return (
    <section className="strategy-note" aria-labelledby="screen-title">
      <div className="strategy-heading">
        <h1 id="screen-title">{props.title}</h1>
        <span className="strategy-tag">{props.strategy}</span>
      </div>
      <p>{props.children}</p>
    </section>
  );
}
