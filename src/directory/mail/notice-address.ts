/** Where the tenant sends a user's mail (a new PIN, a new conference ID): its override address, the user's own, or nowhere. */
export function noticeAddress(
  tenant: { readonly sendEmailToUser: boolean; readonly emailOverride: string | null },
  userEmail: string,
): string | null {
  return tenant.sendEmailToUser ? (tenant.emailOverride ?? userEmail) : null;
}
