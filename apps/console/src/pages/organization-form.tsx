import { useId, useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { createOrUpdate } from '../api/save';
import type { AdminOrganization } from '../api/types';
import { Field } from '../ui/field';
import { FormActions } from '../ui/form-actions';
import { FormSummary } from '../ui/form-summary';
import { useSubmit } from '../ui/use-submit';

const FIELDS = ['name', 'slug', 'owner_user_id'] as const;

/** Creates an organization, or renames `organization` (name and slug; metadata is left alone). */
export function OrganizationForm(props: {
  base: string;
  organization?: AdminOrganization;
  onSaved: (saved: AdminOrganization) => void;
  onCancel?: () => void;
}): ReactNode {
  const { dp } = useApi();
  const headingId = useId();
  const { organization } = props;
  const [name, setName] = useState(organization?.name ?? '');
  const [slug, setSlug] = useState(organization?.slug ?? '');
  const form = useSubmit(async () => {
    const body = { name, slug };
    const saved = await createOrUpdate<AdminOrganization>(dp, props.base, organization?.id, body);
    if (!organization) {
      setName('');
      setSlug('');
    }
    props.onSaved(saved);
  });

  const [idle, busy] = organization
    ? ['Save organization', 'Saving…']
    : ['Create organization', 'Creating…'];
  return (
    <form onSubmit={form.onSubmit} noValidate aria-labelledby={headingId}>
      <h2 id={headingId}>
        {organization ? `Edit organization ${organization.name}` : 'Create an organization'}
      </h2>
      <FormSummary form={form} fields={FIELDS} />
      <Field
        label="Organization name"
        name="name"
        value={name}
        onValue={setName}
        error={form.fieldError('name')}
      />
      <Field
        label="Organization slug"
        name="slug"
        spellCheck={false}
        autoCapitalize="off"
        hint="Lowercase letters, digits and dashes; unique in the tenant."
        value={slug}
        onValue={setSlug}
        error={form.fieldError('slug')}
      />
      <FormActions
        pending={form.pending}
        label={idle}
        pendingLabel={busy}
        {...(props.onCancel && { onCancel: props.onCancel })}
      />
    </form>
  );
}
