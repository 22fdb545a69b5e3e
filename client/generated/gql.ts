/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query Books($first: Int, $after: String) {\n  books(first: $first, after: $after) {\n    edges {\n      node {\n        id\n        title\n        author\n        publishedYear\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nsubscription BookAdded {\n  bookAdded {\n    id\n    title\n    author\n  }\n}": typeof types.BooksDocument,
    "fragment MenuItemFields on MenuItem {\n  id\n  name\n  price\n  description\n  image\n}\n\nquery MenuItems($first: Int, $after: String) {\n  menuItems(first: $first, after: $after) {\n    edges {\n      node {\n        ...MenuItemFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nmutation CreateMenuItem($input: CreateMenuItemInput!) {\n  createMenuItem(input: $input) {\n    ...MenuItemFields\n  }\n}\n\nmutation DeleteMenuItem($id: ID!) {\n  deleteMenuItem(id: $id) {\n    id\n  }\n}\n\nsubscription MenuItemChanged {\n  menuItemChanged {\n    kind\n    item {\n      ...MenuItemFields\n    }\n  }\n}": typeof types.MenuItemFieldsFragmentDoc,
    "query PublicMessage {\n  publicMessage {\n    text\n  }\n}\n\nquery ProtectedMessage {\n  protectedMessage {\n    text\n  }\n}\n\nquery AdminMessage {\n  adminMessage {\n    text\n  }\n}": typeof types.PublicMessageDocument,
    "mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    ...Session\n  }\n}\n\nmutation RefreshToken($refreshToken: String!) {\n  refreshToken(input: {refreshToken: $refreshToken}) {\n    ...Session\n  }\n}\n\nmutation Logout($refreshToken: String!) {\n  logout(input: {refreshToken: $refreshToken})\n}\n\nfragment Session on AuthPayload {\n  accessToken\n  refreshToken\n  tokenType\n  expiresIn\n  user {\n    id\n    fullName\n  }\n}": typeof types.LoginDocument,
    "query MyTasks($first: Int, $after: String) {\n  myTasks(first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        title\n        done\n        createdAt\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n}\n\nmutation CreateTask($title: String!) {\n  createTask(input: {title: $title}) {\n    id\n    title\n    done\n    createdAt\n  }\n}\n\nsubscription TaskChanged {\n  taskChanged {\n    kind\n    task {\n      id\n      title\n      done\n      createdAt\n    }\n  }\n}": typeof types.MyTasksDocument,
    "query Me {\n  me {\n    id\n    fullName\n    email\n    roles\n    permissions\n  }\n}": typeof types.MeDocument,
};
const documents: Documents = {
    "query Books($first: Int, $after: String) {\n  books(first: $first, after: $after) {\n    edges {\n      node {\n        id\n        title\n        author\n        publishedYear\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nsubscription BookAdded {\n  bookAdded {\n    id\n    title\n    author\n  }\n}": types.BooksDocument,
    "fragment MenuItemFields on MenuItem {\n  id\n  name\n  price\n  description\n  image\n}\n\nquery MenuItems($first: Int, $after: String) {\n  menuItems(first: $first, after: $after) {\n    edges {\n      node {\n        ...MenuItemFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nmutation CreateMenuItem($input: CreateMenuItemInput!) {\n  createMenuItem(input: $input) {\n    ...MenuItemFields\n  }\n}\n\nmutation DeleteMenuItem($id: ID!) {\n  deleteMenuItem(id: $id) {\n    id\n  }\n}\n\nsubscription MenuItemChanged {\n  menuItemChanged {\n    kind\n    item {\n      ...MenuItemFields\n    }\n  }\n}": types.MenuItemFieldsFragmentDoc,
    "query PublicMessage {\n  publicMessage {\n    text\n  }\n}\n\nquery ProtectedMessage {\n  protectedMessage {\n    text\n  }\n}\n\nquery AdminMessage {\n  adminMessage {\n    text\n  }\n}": types.PublicMessageDocument,
    "mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    ...Session\n  }\n}\n\nmutation RefreshToken($refreshToken: String!) {\n  refreshToken(input: {refreshToken: $refreshToken}) {\n    ...Session\n  }\n}\n\nmutation Logout($refreshToken: String!) {\n  logout(input: {refreshToken: $refreshToken})\n}\n\nfragment Session on AuthPayload {\n  accessToken\n  refreshToken\n  tokenType\n  expiresIn\n  user {\n    id\n    fullName\n  }\n}": types.LoginDocument,
    "query MyTasks($first: Int, $after: String) {\n  myTasks(first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        title\n        done\n        createdAt\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n}\n\nmutation CreateTask($title: String!) {\n  createTask(input: {title: $title}) {\n    id\n    title\n    done\n    createdAt\n  }\n}\n\nsubscription TaskChanged {\n  taskChanged {\n    kind\n    task {\n      id\n      title\n      done\n      createdAt\n    }\n  }\n}": types.MyTasksDocument,
    "query Me {\n  me {\n    id\n    fullName\n    email\n    roles\n    permissions\n  }\n}": types.MeDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Books($first: Int, $after: String) {\n  books(first: $first, after: $after) {\n    edges {\n      node {\n        id\n        title\n        author\n        publishedYear\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nsubscription BookAdded {\n  bookAdded {\n    id\n    title\n    author\n  }\n}"): (typeof documents)["query Books($first: Int, $after: String) {\n  books(first: $first, after: $after) {\n    edges {\n      node {\n        id\n        title\n        author\n        publishedYear\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nsubscription BookAdded {\n  bookAdded {\n    id\n    title\n    author\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment MenuItemFields on MenuItem {\n  id\n  name\n  price\n  description\n  image\n}\n\nquery MenuItems($first: Int, $after: String) {\n  menuItems(first: $first, after: $after) {\n    edges {\n      node {\n        ...MenuItemFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nmutation CreateMenuItem($input: CreateMenuItemInput!) {\n  createMenuItem(input: $input) {\n    ...MenuItemFields\n  }\n}\n\nmutation DeleteMenuItem($id: ID!) {\n  deleteMenuItem(id: $id) {\n    id\n  }\n}\n\nsubscription MenuItemChanged {\n  menuItemChanged {\n    kind\n    item {\n      ...MenuItemFields\n    }\n  }\n}"): (typeof documents)["fragment MenuItemFields on MenuItem {\n  id\n  name\n  price\n  description\n  image\n}\n\nquery MenuItems($first: Int, $after: String) {\n  menuItems(first: $first, after: $after) {\n    edges {\n      node {\n        ...MenuItemFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nmutation CreateMenuItem($input: CreateMenuItemInput!) {\n  createMenuItem(input: $input) {\n    ...MenuItemFields\n  }\n}\n\nmutation DeleteMenuItem($id: ID!) {\n  deleteMenuItem(id: $id) {\n    id\n  }\n}\n\nsubscription MenuItemChanged {\n  menuItemChanged {\n    kind\n    item {\n      ...MenuItemFields\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PublicMessage {\n  publicMessage {\n    text\n  }\n}\n\nquery ProtectedMessage {\n  protectedMessage {\n    text\n  }\n}\n\nquery AdminMessage {\n  adminMessage {\n    text\n  }\n}"): (typeof documents)["query PublicMessage {\n  publicMessage {\n    text\n  }\n}\n\nquery ProtectedMessage {\n  protectedMessage {\n    text\n  }\n}\n\nquery AdminMessage {\n  adminMessage {\n    text\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    ...Session\n  }\n}\n\nmutation RefreshToken($refreshToken: String!) {\n  refreshToken(input: {refreshToken: $refreshToken}) {\n    ...Session\n  }\n}\n\nmutation Logout($refreshToken: String!) {\n  logout(input: {refreshToken: $refreshToken})\n}\n\nfragment Session on AuthPayload {\n  accessToken\n  refreshToken\n  tokenType\n  expiresIn\n  user {\n    id\n    fullName\n  }\n}"): (typeof documents)["mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    ...Session\n  }\n}\n\nmutation RefreshToken($refreshToken: String!) {\n  refreshToken(input: {refreshToken: $refreshToken}) {\n    ...Session\n  }\n}\n\nmutation Logout($refreshToken: String!) {\n  logout(input: {refreshToken: $refreshToken})\n}\n\nfragment Session on AuthPayload {\n  accessToken\n  refreshToken\n  tokenType\n  expiresIn\n  user {\n    id\n    fullName\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyTasks($first: Int, $after: String) {\n  myTasks(first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        title\n        done\n        createdAt\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n}\n\nmutation CreateTask($title: String!) {\n  createTask(input: {title: $title}) {\n    id\n    title\n    done\n    createdAt\n  }\n}\n\nsubscription TaskChanged {\n  taskChanged {\n    kind\n    task {\n      id\n      title\n      done\n      createdAt\n    }\n  }\n}"): (typeof documents)["query MyTasks($first: Int, $after: String) {\n  myTasks(first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        title\n        done\n        createdAt\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n}\n\nmutation CreateTask($title: String!) {\n  createTask(input: {title: $title}) {\n    id\n    title\n    done\n    createdAt\n  }\n}\n\nsubscription TaskChanged {\n  taskChanged {\n    kind\n    task {\n      id\n      title\n      done\n      createdAt\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Me {\n  me {\n    id\n    fullName\n    email\n    roles\n    permissions\n  }\n}"): (typeof documents)["query Me {\n  me {\n    id\n    fullName\n    email\n    roles\n    permissions\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;