/** The operations the benchmarks send. */

/** 100 menu items with every field. */
export const MENU_ITEMS = /* GraphQL */ `
  query MenuItems {
    menuItems { id name price description image }
  }
`;

/** 100 users with every field; four of them per user are guarded by @ownerOrPermission. */
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
