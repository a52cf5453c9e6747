/** A labelled text input of a filter form. */
export function TextField({ id, label, value, onInput }: { id: string; label: string; value: string; onInput: (e: Event) => void }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} value={value} onInput={onInput} autocomplete="off" />
    </div>
  );
}

/** A filter form's buttons: Apply submits it, Clear empties it. */
export function FilterActions({ onClear }: { onClear: () => void }) {
  return (
    <div class="field field-actions">
      <button type="submit" class="primary">
        Apply
      </button>
      <button type="button" onClick={onClear}>
        Clear
      </button>
    </div>
  );
}
