import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { MenuItemEntity, MenuItemConnectionEntity, MenuItemChangeEntity } from '../modules/menu/menu.mappers.js';
import type { BookEntity, BookConnectionEntity } from '../modules/books/books.mappers.js';
import type { TaskEntity, TaskConnectionEntity, TaskChangeEntity } from '../modules/tasks/tasks.mappers.js';
import type { UserEntity, UserConnectionEntity } from '../modules/users/users.mappers.js';
import type { AuthPayloadEntity } from '../modules/session/session.mappers.js';
import type { Context } from '../kernel/context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 date-time string in UTC. */
  DateTime: { input: string; output: Date | string; }
};

export type AssignRoleInput = {
  role: Scalars['String']['input'];
  userId: Scalars['ID']['input'];
};

/** What signup, login and refreshToken return. Keep the refresh token secret; it is shown once. */
export type AuthPayload = {
  __typename?: 'AuthPayload';
  accessToken: Scalars['String']['output'];
  /** Seconds until the access token expires. */
  expiresIn: Scalars['Int']['output'];
  refreshToken: Scalars['String']['output'];
  /** Always "Bearer". */
  tokenType: Scalars['String']['output'];
  /** The user who just signed in. This response may read their private fields (email, roles, permissions), whoever sent it. */
  user: User;
};

export type Book = {
  __typename?: 'Book';
  author: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  publishedYear: Scalars['Int']['output'];
  summary?: Maybe<Scalars['String']['output']>;
  title: Scalars['String']['output'];
};

/** Books by title, a page at a time. */
export type BookConnection = {
  __typename?: 'BookConnection';
  edges: Array<BookEdge>;
  pageInfo: PageInfo;
  /** Every row of the list, not only this page (one count, run only when selected). */
  totalCount: Scalars['Int']['output'];
};

export type BookEdge = {
  __typename?: 'BookEdge';
  /** Opaque; pass it as after (or before) to read the next (or previous) page. */
  cursor: Scalars['String']['output'];
  node: Book;
};

/** What happened to a record in a change event. */
export type ChangeKind =
  | 'CREATED'
  | 'DELETED'
  | 'UPDATED';

export type CreateBookInput = {
  author: Scalars['String']['input'];
  publishedYear: Scalars['Int']['input'];
  summary?: InputMaybe<Scalars['String']['input']>;
  title: Scalars['String']['input'];
};

export type CreateMenuItemInput = {
  description: Scalars['String']['input'];
  image: Scalars['String']['input'];
  name: Scalars['String']['input'];
  price: Scalars['Int']['input'];
};

export type CreateTaskInput = {
  /** Creates the task for another user (an admin assigning work); the viewer owns it when left out. */
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  title: Scalars['String']['input'];
};

export type LoginInput = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};

export type LogoutInput = {
  refreshToken: Scalars['String']['input'];
};

/** An item on the WHATABYTE menu. */
export type MenuItem = {
  __typename?: 'MenuItem';
  description: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** An http(s) URL of the item's picture. */
  image: Scalars['String']['output'];
  name: Scalars['String']['output'];
  /** Price in cents. */
  price: Scalars['Int']['output'];
};

/** A menu item created, updated or deleted (a deleted item as it was). */
export type MenuItemChange = {
  __typename?: 'MenuItemChange';
  /** Who made the change (null for changes made outside a request). Its guarded fields are checked for each subscriber, as in a query. */
  changedBy?: Maybe<User>;
  item: MenuItem;
  kind: ChangeKind;
};

/** Menu items in the order they were added, a page at a time. */
export type MenuItemConnection = {
  __typename?: 'MenuItemConnection';
  edges: Array<MenuItemEdge>;
  pageInfo: PageInfo;
  /** Every row of the list, not only this page (one count, run only when selected). */
  totalCount: Scalars['Int']['output'];
};

export type MenuItemEdge = {
  __typename?: 'MenuItemEdge';
  /** Opaque; pass it as after (or before) to read the next (or previous) page. */
  cursor: Scalars['String']['output'];
  node: MenuItem;
};

export type Message = {
  __typename?: 'Message';
  text: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  assignRole?: Maybe<User>;
  createBook?: Maybe<Book>;
  createMenuItem?: Maybe<MenuItem>;
  createTask?: Maybe<Task>;
  deleteBook?: Maybe<Book>;
  deleteMenuItem?: Maybe<MenuItem>;
  deleteTask?: Maybe<Task>;
  login: AuthPayload;
  /** Revokes the session of this refresh token. True even if it was already revoked. */
  logout: Scalars['Boolean']['output'];
  /** Revokes every refresh token of the viewer; access tokens expire within their lifetime. */
  logoutAll?: Maybe<Scalars['Boolean']['output']>;
  /** Rotates the refresh token: returns a new pair, and the one given stops working. */
  refreshToken: AuthPayload;
  revokeRole?: Maybe<User>;
  /** Disables (refusing sign-in and external tokens, revoking every refresh token at once) or enables a user; not yourself. */
  setUserDisabled?: Maybe<User>;
  signup: AuthPayload;
  updateBook?: Maybe<Book>;
  updateMenuItem?: Maybe<MenuItem>;
  updateTask?: Maybe<Task>;
};


export type MutationAssignRoleArgs = {
  input: AssignRoleInput;
};


export type MutationCreateBookArgs = {
  input: CreateBookInput;
};


export type MutationCreateMenuItemArgs = {
  input: CreateMenuItemInput;
};


export type MutationCreateTaskArgs = {
  input: CreateTaskInput;
};


export type MutationDeleteBookArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteMenuItemArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteTaskArgs = {
  id: Scalars['ID']['input'];
};


export type MutationLoginArgs = {
  input: LoginInput;
};


export type MutationLogoutArgs = {
  input: LogoutInput;
};


export type MutationRefreshTokenArgs = {
  input: RefreshTokenInput;
};


export type MutationRevokeRoleArgs = {
  input: RevokeRoleInput;
};


export type MutationSetUserDisabledArgs = {
  input: SetUserDisabledInput;
};


export type MutationSignupArgs = {
  input: SignupInput;
};


export type MutationUpdateBookArgs = {
  id: Scalars['ID']['input'];
  input: UpdateBookInput;
};


export type MutationUpdateMenuItemArgs = {
  id: Scalars['ID']['input'];
  input: UpdateMenuItemInput;
};


export type MutationUpdateTaskArgs = {
  id: Scalars['ID']['input'];
  input: UpdateTaskInput;
};

/** Where a page of a connection sits (GraphQL Cursor Connections Specification). */
export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  /** More rows after this page (when paging forward with first/after; false when paging backward). */
  hasNextPage: Scalars['Boolean']['output'];
  /** More rows before this page (when paging backward with last/before; false when paging forward). */
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

export type PermissionMode =
  /** Every listed permission is required. */
  | 'ALL'
  /** Any one of the listed permissions is enough. */
  | 'ANY';

export type Query = {
  __typename?: 'Query';
  adminMessage?: Maybe<Message>;
  book?: Maybe<Book>;
  /** Books by title. */
  books?: Maybe<BookConnection>;
  me?: Maybe<User>;
  menuItem?: Maybe<MenuItem>;
  /** The menu in the order items were added. */
  menuItems: MenuItemConnection;
  /** The viewer's tasks, newest first. */
  myTasks?: Maybe<TaskConnection>;
  protectedMessage?: Maybe<Message>;
  publicMessage: Message;
  /** One of the viewer's tasks; another user's task answers NOT_FOUND. */
  task?: Maybe<Task>;
  /** Every user, oldest first. Disabled users only with includeDisabled, which also requires manage:users. */
  users?: Maybe<UserConnection>;
};


export type QueryBookArgs = {
  id: Scalars['ID']['input'];
};


export type QueryBooksArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryMenuItemArgs = {
  id: Scalars['ID']['input'];
};


export type QueryMenuItemsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryMyTasksArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryTaskArgs = {
  id: Scalars['ID']['input'];
};


export type QueryUsersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  includeDisabled?: InputMaybe<Scalars['Boolean']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

export type RefreshTokenInput = {
  refreshToken: Scalars['String']['input'];
};

export type RevokeRoleInput = {
  role: Scalars['String']['input'];
  userId: Scalars['ID']['input'];
};

export type SetUserDisabledInput = {
  disabled: Scalars['Boolean']['input'];
  userId: Scalars['ID']['input'];
};

export type SignupInput = {
  email: Scalars['String']['input'];
  fullName: Scalars['String']['input'];
  /** 8 to 128 characters, not a common password. */
  password: Scalars['String']['input'];
};

/** Live events over graphql-ws on /graphql (README, Subscriptions). */
export type Subscription = {
  __typename?: 'Subscription';
  /** Each book as it is added. */
  bookAdded: Book;
  /** Every change to the menu, as the menu mutations commit it. */
  menuItemChanged: MenuItemChange;
  /** Changes to the viewer's own tasks only, whoever made them. */
  taskChanged: TaskChange;
};

/** A task of the signed-in viewer; nobody else can see it. */
export type Task = {
  __typename?: 'Task';
  createdAt: Scalars['DateTime']['output'];
  done: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  title: Scalars['String']['output'];
};

/** A task of the viewer created, updated or deleted (a deleted task as it was). */
export type TaskChange = {
  __typename?: 'TaskChange';
  kind: ChangeKind;
  task: Task;
};

/** Tasks newest first, a page at a time. */
export type TaskConnection = {
  __typename?: 'TaskConnection';
  edges: Array<TaskEdge>;
  pageInfo: PageInfo;
  /** Every row of the list, not only this page (one count, run only when selected). */
  totalCount: Scalars['Int']['output'];
};

export type TaskEdge = {
  __typename?: 'TaskEdge';
  /** Opaque; pass it as after (or before) to read the next (or previous) page. */
  cursor: Scalars['String']['output'];
  node: Task;
};

/** Only the fields given are changed; summary: null clears it. */
export type UpdateBookInput = {
  author?: InputMaybe<Scalars['String']['input']>;
  publishedYear?: InputMaybe<Scalars['Int']['input']>;
  summary?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

/** Only the fields given are changed. */
export type UpdateMenuItemInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  image?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  price?: InputMaybe<Scalars['Int']['input']>;
};

export type UpdateTaskInput = {
  done?: InputMaybe<Scalars['Boolean']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

/** A user. Only id and fullName are public; the rest is readable by the user themself or with read:users. */
export type User = {
  __typename?: 'User';
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** When the user was disabled (null while enabled): a disabled user cannot sign in, refresh, or use an external token. */
  disabledAt?: Maybe<Scalars['DateTime']['output']>;
  email?: Maybe<Scalars['String']['output']>;
  fullName: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  permissions?: Maybe<Array<Scalars['String']['output']>>;
  roles?: Maybe<Array<Scalars['String']['output']>>;
};

/** Users oldest first, a page at a time. */
export type UserConnection = {
  __typename?: 'UserConnection';
  edges: Array<UserEdge>;
  pageInfo: PageInfo;
  /** Every row of the list, not only this page (one count, run only when selected). */
  totalCount: Scalars['Int']['output'];
};

export type UserEdge = {
  __typename?: 'UserEdge';
  /** Opaque; pass it as after (or before) to read the next (or previous) page. */
  cursor: Scalars['String']['output'];
  node: User;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  AssignRoleInput: AssignRoleInput;
  AuthPayload: ResolverTypeWrapper<AuthPayloadEntity>;
  Book: ResolverTypeWrapper<BookEntity>;
  BookConnection: ResolverTypeWrapper<BookConnectionEntity>;
  BookEdge: ResolverTypeWrapper<Omit<BookEdge, 'node'> & { node: ResolversTypes['Book'] }>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  ChangeKind: ChangeKind;
  CreateBookInput: CreateBookInput;
  CreateMenuItemInput: CreateMenuItemInput;
  CreateTaskInput: CreateTaskInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  LoginInput: LoginInput;
  LogoutInput: LogoutInput;
  MenuItem: ResolverTypeWrapper<MenuItemEntity>;
  MenuItemChange: ResolverTypeWrapper<MenuItemChangeEntity>;
  MenuItemConnection: ResolverTypeWrapper<MenuItemConnectionEntity>;
  MenuItemEdge: ResolverTypeWrapper<Omit<MenuItemEdge, 'node'> & { node: ResolversTypes['MenuItem'] }>;
  Message: ResolverTypeWrapper<Message>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PermissionMode: PermissionMode;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RefreshTokenInput: RefreshTokenInput;
  RevokeRoleInput: RevokeRoleInput;
  SetUserDisabledInput: SetUserDisabledInput;
  SignupInput: SignupInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Task: ResolverTypeWrapper<TaskEntity>;
  TaskChange: ResolverTypeWrapper<TaskChangeEntity>;
  TaskConnection: ResolverTypeWrapper<TaskConnectionEntity>;
  TaskEdge: ResolverTypeWrapper<Omit<TaskEdge, 'node'> & { node: ResolversTypes['Task'] }>;
  UpdateBookInput: UpdateBookInput;
  UpdateMenuItemInput: UpdateMenuItemInput;
  UpdateTaskInput: UpdateTaskInput;
  User: ResolverTypeWrapper<UserEntity>;
  UserConnection: ResolverTypeWrapper<UserConnectionEntity>;
  UserEdge: ResolverTypeWrapper<Omit<UserEdge, 'node'> & { node: ResolversTypes['User'] }>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AssignRoleInput: AssignRoleInput;
  AuthPayload: AuthPayloadEntity;
  Book: BookEntity;
  BookConnection: BookConnectionEntity;
  BookEdge: Omit<BookEdge, 'node'> & { node: ResolversParentTypes['Book'] };
  Boolean: Scalars['Boolean']['output'];
  CreateBookInput: CreateBookInput;
  CreateMenuItemInput: CreateMenuItemInput;
  CreateTaskInput: CreateTaskInput;
  DateTime: Scalars['DateTime']['output'];
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  LoginInput: LoginInput;
  LogoutInput: LogoutInput;
  MenuItem: MenuItemEntity;
  MenuItemChange: MenuItemChangeEntity;
  MenuItemConnection: MenuItemConnectionEntity;
  MenuItemEdge: Omit<MenuItemEdge, 'node'> & { node: ResolversParentTypes['MenuItem'] };
  Message: Message;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  RefreshTokenInput: RefreshTokenInput;
  RevokeRoleInput: RevokeRoleInput;
  SetUserDisabledInput: SetUserDisabledInput;
  SignupInput: SignupInput;
  String: Scalars['String']['output'];
  Subscription: Record<PropertyKey, never>;
  Task: TaskEntity;
  TaskChange: TaskChangeEntity;
  TaskConnection: TaskConnectionEntity;
  TaskEdge: Omit<TaskEdge, 'node'> & { node: ResolversParentTypes['Task'] };
  UpdateBookInput: UpdateBookInput;
  UpdateMenuItemInput: UpdateMenuItemInput;
  UpdateTaskInput: UpdateTaskInput;
  User: UserEntity;
  UserConnection: UserConnectionEntity;
  UserEdge: Omit<UserEdge, 'node'> & { node: ResolversParentTypes['User'] };
};

export type AuthDirectiveArgs = { };

export type AuthDirectiveResolver<Result, Parent, ContextType = Context, Args = AuthDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type HasPermissionDirectiveArgs = {
  mode?: Maybe<PermissionMode>;
  permissions: Array<Scalars['String']['input']>;
};

export type HasPermissionDirectiveResolver<Result, Parent, ContextType = Context, Args = HasPermissionDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type OwnerOrPermissionDirectiveArgs = {
  ownerField?: Maybe<Scalars['String']['input']>;
  permissions: Array<Scalars['String']['input']>;
};

export type OwnerOrPermissionDirectiveResolver<Result, Parent, ContextType = Context, Args = OwnerOrPermissionDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type PublicDirectiveArgs = { };

export type PublicDirectiveResolver<Result, Parent, ContextType = Context, Args = PublicDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AuthPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AuthPayload'] = ResolversParentTypes['AuthPayload']> = {
  accessToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  expiresIn?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  refreshToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tokenType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
};

export type BookResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Book'] = ResolversParentTypes['Book']> = {
  author?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  publishedYear?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  summary?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type BookConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['BookConnection'] = ResolversParentTypes['BookConnection']> = {
  edges?: Resolver<Array<ResolversTypes['BookEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type BookEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['BookEdge'] = ResolversParentTypes['BookEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Book'], ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MenuItemResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MenuItem'] = ResolversParentTypes['MenuItem']> = {
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  image?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  price?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type MenuItemChangeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MenuItemChange'] = ResolversParentTypes['MenuItemChange']> = {
  changedBy?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  item?: Resolver<ResolversTypes['MenuItem'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['ChangeKind'], ParentType, ContextType>;
};

export type MenuItemConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MenuItemConnection'] = ResolversParentTypes['MenuItemConnection']> = {
  edges?: Resolver<Array<ResolversTypes['MenuItemEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type MenuItemEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['MenuItemEdge'] = ResolversParentTypes['MenuItemEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['MenuItem'], ParentType, ContextType>;
};

export type MessageResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Message'] = ResolversParentTypes['Message']> = {
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  assignRole?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType, RequireFields<MutationAssignRoleArgs, 'input'>>;
  createBook?: Resolver<Maybe<ResolversTypes['Book']>, ParentType, ContextType, RequireFields<MutationCreateBookArgs, 'input'>>;
  createMenuItem?: Resolver<Maybe<ResolversTypes['MenuItem']>, ParentType, ContextType, RequireFields<MutationCreateMenuItemArgs, 'input'>>;
  createTask?: Resolver<Maybe<ResolversTypes['Task']>, ParentType, ContextType, RequireFields<MutationCreateTaskArgs, 'input'>>;
  deleteBook?: Resolver<Maybe<ResolversTypes['Book']>, ParentType, ContextType, RequireFields<MutationDeleteBookArgs, 'id'>>;
  deleteMenuItem?: Resolver<Maybe<ResolversTypes['MenuItem']>, ParentType, ContextType, RequireFields<MutationDeleteMenuItemArgs, 'id'>>;
  deleteTask?: Resolver<Maybe<ResolversTypes['Task']>, ParentType, ContextType, RequireFields<MutationDeleteTaskArgs, 'id'>>;
  login?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationLoginArgs, 'input'>>;
  logout?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationLogoutArgs, 'input'>>;
  logoutAll?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  refreshToken?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationRefreshTokenArgs, 'input'>>;
  revokeRole?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType, RequireFields<MutationRevokeRoleArgs, 'input'>>;
  setUserDisabled?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType, RequireFields<MutationSetUserDisabledArgs, 'input'>>;
  signup?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationSignupArgs, 'input'>>;
  updateBook?: Resolver<Maybe<ResolversTypes['Book']>, ParentType, ContextType, RequireFields<MutationUpdateBookArgs, 'id' | 'input'>>;
  updateMenuItem?: Resolver<Maybe<ResolversTypes['MenuItem']>, ParentType, ContextType, RequireFields<MutationUpdateMenuItemArgs, 'id' | 'input'>>;
  updateTask?: Resolver<Maybe<ResolversTypes['Task']>, ParentType, ContextType, RequireFields<MutationUpdateTaskArgs, 'id' | 'input'>>;
};

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  adminMessage?: Resolver<Maybe<ResolversTypes['Message']>, ParentType, ContextType>;
  book?: Resolver<Maybe<ResolversTypes['Book']>, ParentType, ContextType, RequireFields<QueryBookArgs, 'id'>>;
  books?: Resolver<Maybe<ResolversTypes['BookConnection']>, ParentType, ContextType, Partial<QueryBooksArgs>>;
  me?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  menuItem?: Resolver<Maybe<ResolversTypes['MenuItem']>, ParentType, ContextType, RequireFields<QueryMenuItemArgs, 'id'>>;
  menuItems?: Resolver<ResolversTypes['MenuItemConnection'], ParentType, ContextType, Partial<QueryMenuItemsArgs>>;
  myTasks?: Resolver<Maybe<ResolversTypes['TaskConnection']>, ParentType, ContextType, Partial<QueryMyTasksArgs>>;
  protectedMessage?: Resolver<Maybe<ResolversTypes['Message']>, ParentType, ContextType>;
  publicMessage?: Resolver<ResolversTypes['Message'], ParentType, ContextType>;
  task?: Resolver<Maybe<ResolversTypes['Task']>, ParentType, ContextType, RequireFields<QueryTaskArgs, 'id'>>;
  users?: Resolver<Maybe<ResolversTypes['UserConnection']>, ParentType, ContextType, RequireFields<QueryUsersArgs, 'includeDisabled'>>;
};

export type SubscriptionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  bookAdded?: SubscriptionResolver<ResolversTypes['Book'], "bookAdded", ParentType, ContextType>;
  menuItemChanged?: SubscriptionResolver<ResolversTypes['MenuItemChange'], "menuItemChanged", ParentType, ContextType>;
  taskChanged?: SubscriptionResolver<ResolversTypes['TaskChange'], "taskChanged", ParentType, ContextType>;
};

export type TaskResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Task'] = ResolversParentTypes['Task']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  done?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type TaskChangeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TaskChange'] = ResolversParentTypes['TaskChange']> = {
  kind?: Resolver<ResolversTypes['ChangeKind'], ParentType, ContextType>;
  task?: Resolver<ResolversTypes['Task'], ParentType, ContextType>;
};

export type TaskConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TaskConnection'] = ResolversParentTypes['TaskConnection']> = {
  edges?: Resolver<Array<ResolversTypes['TaskEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TaskEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TaskEdge'] = ResolversParentTypes['TaskEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Task'], ParentType, ContextType>;
};

export type UserResolvers<ContextType = Context, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User']> = {
  createdAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  disabledAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  fullName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  permissions?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  roles?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
};

export type UserConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['UserConnection'] = ResolversParentTypes['UserConnection']> = {
  edges?: Resolver<Array<ResolversTypes['UserEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type UserEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['UserEdge'] = ResolversParentTypes['UserEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
};

export type Resolvers<ContextType = Context> = {
  AuthPayload?: AuthPayloadResolvers<ContextType>;
  Book?: BookResolvers<ContextType>;
  BookConnection?: BookConnectionResolvers<ContextType>;
  BookEdge?: BookEdgeResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  MenuItem?: MenuItemResolvers<ContextType>;
  MenuItemChange?: MenuItemChangeResolvers<ContextType>;
  MenuItemConnection?: MenuItemConnectionResolvers<ContextType>;
  MenuItemEdge?: MenuItemEdgeResolvers<ContextType>;
  Message?: MessageResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Task?: TaskResolvers<ContextType>;
  TaskChange?: TaskChangeResolvers<ContextType>;
  TaskConnection?: TaskConnectionResolvers<ContextType>;
  TaskEdge?: TaskEdgeResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
  UserConnection?: UserConnectionResolvers<ContextType>;
  UserEdge?: UserEdgeResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = Context> = {
  auth?: AuthDirectiveResolver<any, any, ContextType>;
  hasPermission?: HasPermissionDirectiveResolver<any, any, ContextType>;
  ownerOrPermission?: OwnerOrPermissionDirectiveResolver<any, any, ContextType>;
  public?: PublicDirectiveResolver<any, any, ContextType>;
};
