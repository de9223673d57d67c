import type { TextHunk as Hunk } from '@cr/strategies';
import { useMemo } from 'react';
import { DiffText } from '../ui/DiffText.tsx';
import { textDiff } from '../ui/text-diff.ts';
import { HUNK_CHOICES, type HunkChoice, hunkPlace } from './text-resolution.ts';

export interface Sides {
  /** "Your", "Alice’s": whose the conflicting edit is. */
  mine: string;
  /** "Bob’s", "your earlier": whose the server's version is. */
  theirs: string;
}

const cap = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function choiceLabel(choice: HunkChoice, sides: Sides): string {
  const mine = sides.mine === 'Your' ? 'yours' : sides.mine;
  const theirs = sides.theirs === 'your earlier' ? 'the earlier one' : sides.theirs;
  switch (choice) {
    case 'mine':
      return cap(mine);
    case 'theirs':
      return cap(theirs);
    case 'mine-first':
      return `Both, ${mine} first`;
    case 'theirs-first':
      return `Both, ${theirs} first`;
  }
}

/**
 * One place where both sides changed the same paragraphs: what each side did to the base text,
 * word by word, and (while merging) a labelled radio group: mine, theirs, or both in either order.
 */
export function TextHunk(props: {
  conflictId: string;
  field: string;
  index: number;
  hunk: Hunk;
  sides: Sides;
  /** Null while not merging: the diffs only. */
  choice: HunkChoice | null;
  /** The text was edited by hand: the choice is set aside (shown, not changeable). */
  locked: boolean;
  onChoose: (choice: HunkChoice) => void;
}) {
  const { hunk, sides, field, index } = props;
  const mine = useMemo(() => textDiff(hunk.base, hunk.client), [hunk.base, hunk.client]);
  const theirs = useMemo(() => textDiff(hunk.base, hunk.server), [hunk.base, hunk.server]);
  const place = hunkPlace(hunk);
  const name = `${props.conflictId}-${field}-hunk-${index}`;
  return (
    <div className="text-hunk" data-testid="text-hunk" data-field={field} data-index={index}>
      <p className="text-hunk-place">{place}</p>
      <div className="text-hunk-sides">
        <div>
          <p className="meta">{cap(sides.mine)} version</p>
          <DiffText segments={mine} testId={`hunk-mine-${field}-${index}`} />
        </div>
        <div>
          <p className="meta">{cap(sides.theirs)} version</p>
          <DiffText segments={theirs} testId={`hunk-theirs-${field}-${index}`} />
        </div>
      </div>
      {props.choice !== null && (
        <fieldset className="hunk-choice" disabled={props.locked}>
          <legend>Keep for {place.toLowerCase()}</legend>
          {HUNK_CHOICES.map((choice) => (
            <label key={choice}>
              <input
                type="radio"
                name={name}
                checked={props.choice === choice}
                onChange={() => props.onChoose(choice)}
                data-testid={`hunk-${field}-${index}-${choice}`}
              />
              {choiceLabel(choice, sides)}
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}
