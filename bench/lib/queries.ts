/** The operations the benchmarks send. */

/** 100 menu items with every field. */
export const MENU_ITEMS = /* GraphQL */ `
  query MenuItems {
    menuItems { id name price description image }
  }
`;

/** Every user (1,000) with every field; four of them per user are guarded by the User type's @ownerOrPermission, which an admin's plan settles once. */
export const USERS = /* GraphQL */ `
  query Users {
    users { id fullName email roles permissions createdAt }
  }
`;

/** The cheapest authenticated read: @auth and no database. */
export const PROTECTED_MESSAGE = /* GraphQL */ `
  query ProtectedMessage {
    protectedMessage { text }
  }
`;

export const LOGIN = /* GraphQL */ `
  mutation Login($input: LoginInput!) {
    login(input: $input) { accessToken expiresIn }
  }
`;
