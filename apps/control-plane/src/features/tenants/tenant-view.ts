import type { TenantRow } from '@hellojohn/dal';
import { publicSettings } from './mail-settings';
import type { TenantView } from './tenants.schemas';

/** Masks the password of a DSN: operators see where a tenant lives, never its secret. */
function maskDsn(dsn: string): string {
  try {
    const url = new URL(dsn);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '***';
  }
}

export function issuerOf(publicUrl: string, slug: string): string {
  return `${publicUrl}/t/${slug}`;
}

export function toTenantView(
  row: TenantRow,
  publicUrl: string,
  decryptDsn: (row: TenantRow) => string | null,
): TenantView {
  const dsn = decryptDsn(row);
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    status: row.status,
    status_reason: row.statusReason,
    issuer: issuerOf(publicUrl, row.slug),
    database: {
      mode: row.databaseMode,
      driver: row.databaseDriver,
      dsn: dsn === null ? null : maskDsn(dsn),
    },
    // The SMTP password of a mail override is never shown (`***` in its URL).
    settings: publicSettings(row.settings),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
