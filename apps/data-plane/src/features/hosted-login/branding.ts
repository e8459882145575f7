import { tenantSettingsSchema } from '@hellojohn/config';
import type { TenantConfig } from '../../tenancy/tenant-config';

/** What the hosted pages show of the tenant (settings.branding, checked again at render). */
export interface Branding {
  name: string;
  logoUrl: string | undefined;
  /** `--hj-primary` and its button text colour, as CSS custom properties; '' for the defaults. */
  css: string;
}

const brandingSchema = tenantSettingsSchema.shape.branding;

/** WCAG 2.2 relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const channel = (offset: number) => {
    const c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

/**
 * The tenant's display name, logo and colour. Button text is white or near-black, whichever
 * contrasts more with the primary colour (docs/hosted-login.md, ZITADEL's rule).
 */
export function brandingOf(tenant: TenantConfig): Branding {
  const settings = tenant.settings as Record<string, unknown> | null | undefined;
  const parsed = brandingSchema.safeParse(settings?.['branding']);
  const branding = parsed.success ? parsed.data : undefined;
  const primary = branding?.primary_color?.toLowerCase();
  let css = '';
  if (primary !== undefined) {
    const l = luminance(primary);
    const text = contrast(l, 1) >= contrast(l, luminance('#111111')) ? '#ffffff' : '#111111';
    css = `:root{--hj-primary:${primary};--hj-on-primary:${text}}`;
  }
  return {
    name: branding?.display_name ?? tenant.name,
    logoUrl: branding?.logo_url,
    css,
  };
}
