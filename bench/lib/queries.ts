/** The operations the benchmarks send. */

/** Rows per page in the list benchmarks: the largest page (GRAPHQL_MAX_PAGE_SIZE's default). */
export const PAGE_SIZE = 100;

/** 100 menu items (the whole menu, one page) with every field. */
export const MENU_ITEMS = /* GraphQL */ `
  query MenuItems {
    menuItems(first: 100) { edges { node { id name price description image } } pageInfo { hasNextPage } }
  }
`;

/** A page of 100 users (of 1,000) with every field; four of them per user are guarded by the User type's @ownerOrPermission, which an admin's plan settles once. */
export const USERS = /* GraphQL */ `
  query Users {
    users(first: 100) { edges { cursor node { id fullName email roles permissions createdAt } } pageInfo { hasNextPage endCursor } }
  }
`;

/** All 1,000 users in one page, for target 1c: the authorization benchmark's server raises GRAPHQL_MAX_PAGE_SIZE (and the cost limit) to allow it. */
export const ALL_USERS = /* GraphQL */ `
  query AllUsers {
    users(first: 1000) { edges { cursor node { id fullName email roles permissions createdAt } } pageInfo { hasNextPage endCursor } }
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

/** A page of `first` menu items (after the cursor `after`, if given) with every field: the scaling benchmark's reads. */
export const MENU_PAGE = /* GraphQL */ `
  query MenuPage($first: Int!, $after: String) {
    menuItems(first: $first, after: $after) { edges { node { id name price description image } } pageInfo { hasNextPage } }
  }
`;
