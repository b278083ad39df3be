/**
 * Masks a mainland ID number for display: first 6 and last 4 characters kept,
 * e.g. `110105199001011234` → `110105********1234`. Shorter input is fully masked.
 */
export function maskIdNumber(idNumber: string): string {
  if (idNumber.length < 10) return '*'.repeat(idNumber.length);
  return idNumber.slice(0, 6) + '*'.repeat(idNumber.length - 10) + idNumber.slice(-4);
}

/** Masks a mainland mobile number: `13812345678` → `138****5678`. */
export function maskMobile(mobile: string): string {
  if (mobile.length < 7) return '*'.repeat(mobile.length);
  return mobile.slice(0, 3) + '*'.repeat(mobile.length - 7) + mobile.slice(-4);
}

/** Masks a person's name, keeping the first character: `汪小明` → `汪**`, `汪明` → `汪*`. */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 1) return name;
  return chars[0] + '*'.repeat(chars.length - 1);
}
