import type { SyntheticEvent } from 'react';
import { useFormState, type FormState } from './form-state';

/** A form's state plus its submit handler: no native submit, one request at a time. */
export interface SubmitForm extends FormState {
  onSubmit: (event: SyntheticEvent) => void;
}

/** `action` runs on submit; its failure lands in the form's fields and summary. */
export function useSubmit(action: () => Promise<void>): SubmitForm {
  const form = useFormState();
  return {
    ...form,
    onSubmit(event) {
      event.preventDefault();
      void form.submit(action);
    },
  };
}
