/** A value as indented JSON, always as text: event bodies come from outside. */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  return (
    <pre class="code" aria-label={label} tabIndex={0}>
      <code>{JSON.stringify(value, null, 2)}</code>
    </pre>
  );
}
