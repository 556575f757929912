// A tenant's look: fetched from the public theme endpoint and applied as CSS variables on
// the document root, so every view (and the embedded widget) follows it.

import { request } from "./api/client";
import type { Theme } from "./api/types";

export const DEFAULT_THEME: Theme = {
  name: "Help desk",
  logo_url: null,
  primary_color: "#1f4e8c",
  accent_color: "#e07a1f",
};

const HEX = /^#[0-9a-fA-F]{6}$/;

/** Black or white, whichever reads better on `hex` (WCAG relative luminance). */
export function contrastText(hex: string): string {
  if (!HEX.test(hex)) return "#ffffff";
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return luminance > 0.4 ? "#111111" : "#ffffff";
}

export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  const primary = HEX.test(theme.primary_color) ? theme.primary_color : DEFAULT_THEME.primary_color;
  const accent = HEX.test(theme.accent_color) ? theme.accent_color : DEFAULT_THEME.accent_color;
  root.style.setProperty("--brand", primary);
  root.style.setProperty("--brand-text", contrastText(primary));
  root.style.setProperty("--accent", accent);
  root.style.setProperty("--accent-text", contrastText(accent));
  document.title = theme.name;
}

export async function loadTheme(tenant: string): Promise<Theme> {
  try {
    const theme = await request<Theme>(`/api/v1/tenants/${encodeURIComponent(tenant)}/theme`);
    return { ...DEFAULT_THEME, ...theme };
  } catch {
    return DEFAULT_THEME;
  }
}
