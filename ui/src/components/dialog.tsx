/**
 * A modal dialog on the native <dialog> element: focus moves into it and is trapped there by the browser, Escape
 * closes it, and focus returns to what opened it.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export function Dialog(props: { readonly title: string; readonly onClose: () => void; readonly children: ComponentChildren }): JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement;
    ref.current?.showModal();
    return () => { if (opener instanceof HTMLElement) opener.focus(); };
  }, []);
  const onCancel = (event: Event): void => {
    event.preventDefault();
    props.onClose();
  };
  return (
    <dialog ref={ref} class="dialog" aria-label={props.title} onCancel={onCancel}>
      <header class="dialog-head">
        <h2>{props.title}</h2>
        <button type="button" class="close" aria-label="Close" onClick={props.onClose}>×</button>
      </header>
      {props.children}
    </dialog>
  );
}
