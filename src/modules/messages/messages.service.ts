/** The messages tutorial's three messages; the schema decides who may read which. */
export const MESSAGES = {
  public: 'This is a public message.',
  protected: 'This is a protected message.',
  admin: 'This is an admin message.',
} as const;
