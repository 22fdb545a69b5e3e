/** A short list of the most common passwords (8+ characters), refused at signup. Compared lower-cased. */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  'password', 'password1', 'password12', 'password123', 'password1234', 'passw0rd', 'p@ssw0rd', 'p@ssword',
  '12345678', '123456789', '1234567890', '11111111', '00000000', '87654321', '12341234', '11223344',
  'qwertyui', 'qwerty12', 'qwerty123', 'qwertyuiop', '1q2w3e4r', '1q2w3e4r5t', 'q1w2e3r4', 'zaq12wsx',
  'iloveyou', 'iloveyou1', 'sunshine', 'princess', 'football', 'baseball', 'welcome1', 'welcome123',
  'abc12345', 'abcd1234', 'admin123', 'administrator', 'letmein1', 'trustno1', 'superman', 'starwars',
  'whatever', 'computer', 'michelle', 'jennifer', '1qaz2wsx', 'asdfghjkl', 'asdf1234', 'changeme',
  'changeme1', 'secret123', 'monkey123', 'dragon123', 'master123', 'shadow123', 'qazwsxedc', 'aa123456',
]);
