import { tenantSettingsSchema } from '@hellojohn/config';
import type { TenantConfig } from '../tenancy/tenant-config';

/** What a mail shows of its tenant: the name in the header and on the From line, and colours. */
export interface MailBranding {
  tenantName: string;
  /** `#rrggbb` (validated by the settings schema, so safe in a style attribute). */
  brandColor: string;
  /** White or near-black, whichever contrasts more with `brandColor`. */
  onBrandColor: string;
}

const DEFAULT_COLOR = '#2563eb';
const brandingSchema = tenantSettingsSchema.shape.branding;

/** WCAG 2.2 relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const channel = (offset: number): number => {
    const c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

const contrast = (a: number, b: number): number =>
  (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

/** The tenant's `settings.branding`, checked again here (a bad value falls back to defaults). */
export function mailBrandingOf(tenant: TenantConfig): MailBranding {
  const settings = tenant.settings as Record<string, unknown> | null | undefined;
  const parsed = brandingSchema.safeParse(settings?.['branding']);
  const branding = parsed.success ? parsed.data : undefined;
  const brandColor = branding?.primary_color?.toLowerCase() ?? DEFAULT_COLOR;
  const l = luminance(brandColor);
  return {
    tenantName: branding?.display_name ?? tenant.name,
    brandColor,
    onBrandColor: contrast(l, 1) >= contrast(l, luminance('#111111')) ? '#ffffff' : '#111111',
  };
}
