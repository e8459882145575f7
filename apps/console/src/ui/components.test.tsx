import { act, fireEvent, render, screen } from '@testing-library/react';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../api/api-error';
import { ConfirmDialog } from './confirm-dialog';
import { Field } from './field';
import { useFormState } from './form-state';
import { FormSummary } from './form-summary';
import { SecretOnce } from './secret-once';

describe('ConfirmDialog', () => {
  function Harness(props: { onConfirm: () => void }): ReactNode {
    const [open, setOpen] = useState(false);
    return (
      <>
        <button
          type="button"
          onClick={() => {
            setOpen(true);
          }}
        >
          Delete tenant
        </button>
        {open && (
          <ConfirmDialog
            title="Delete tenant Acme?"
            confirmLabel="Delete for good"
            typeToConfirm="acme"
            onCancel={() => {
              setOpen(false);
            }}
            onConfirm={props.onConfirm}
          >
            <p>Everything goes.</p>
          </ConfirmDialog>
        )}
      </>
    );
  }

  it('focuses Cancel, enables the action only on the exact slug, and confirms', () => {
    const onConfirm = jest.fn();
    render(<Harness onConfirm={onConfirm} />);
    fireEvent.click(screen.getByRole('button', { name: 'Delete tenant' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete tenant Acme?' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
    const confirm = screen.getByRole('button', { name: 'Delete for good' });
    const input = screen.getByLabelText('Type acme to confirm');
    fireEvent.change(input, { target: { value: 'Acme' } });
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(input, { target: { value: 'acme' } });
    expect((confirm as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(confirm);
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it('closes on Escape and returns focus to the trigger', () => {
    render(<Harness onConfirm={jest.fn()} />);
    const trigger = screen.getByRole('button', { name: 'Delete tenant' });
    trigger.focus();
    fireEvent.click(trigger);
    fireEvent.keyDown(screen.getByRole('alertdialog'), { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(trigger);
  });
});

describe('forms', () => {
  function SlugForm(props: { failure: ApiError }): ReactNode {
    const form = useFormState();
    return (
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(() => Promise.reject(props.failure));
        }}
      >
        <FormSummary form={form} fields={['slug']} />
        <Field label="Slug" name="slug" error={form.fieldError('slug')} />
        <button type="submit">Save</button>
      </form>
    );
  }

  it('puts 400 field errors on their fields and the rest in a focused summary', async () => {
    const failure = new ApiError({
      status: 400,
      title: 'The request is not valid',
      code: 'validation_failed',
      detail: 'Check the fields.',
      errors: [
        { path: 'slug', message: 'must match the pattern' },
        { path: 'settings.mfa', message: 'invalid option' },
      ],
      requestId: 'req-9',
    });
    render(<SlugForm failure={failure} />);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    });
    const slug = screen.getByLabelText('Slug');
    expect(slug.getAttribute('aria-invalid')).toBe('true');
    const described = slug.getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(described)?.textContent).toBe('Error: must match the pattern');
    const summary = screen.getByRole('alert');
    expect(summary.textContent).toContain('The request is not valid');
    expect(summary.textContent).toContain('Check the fields.');
    expect(summary.textContent).toContain('settings.mfa: invalid option');
    expect(summary.textContent).toContain('req-9');
    expect(document.activeElement).toBe(summary);
  });
});

describe('SecretOnce', () => {
  it('copies, announces it, and forgets the secret on Done', async () => {
    const writeText = jest.fn(() => Promise.resolve());
    Object.assign(navigator, { clipboard: { writeText } });
    function Harness(): ReactNode {
      const [secret, setSecret] = useState<string | undefined>('hjcs_secret');
      return secret ? (
        <SecretOnce
          label="Client secret"
          secret={secret}
          onDone={() => {
            setSecret(undefined);
          }}
        />
      ) : null;
    }
    render(<Harness />);
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: 'Client secret' }).value).toBe(
      'hjcs_secret',
    );
    expect(screen.getByText(/won’t see this again/)).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    });
    expect(writeText).toHaveBeenCalledWith('hjcs_secret');
    expect(screen.getByRole('status').textContent).toBe('Copied');
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(document.body.textContent).not.toContain('hjcs_secret');
  });
});
