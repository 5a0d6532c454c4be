// Passwords that appear at the top of every leaked-password list, plus
// Swedish favourites. NIST SP 800-63B: reject known-compromised and
// commonly used passwords instead of imposing composition rules.
// Compared case-insensitively.
const COMMON = `
123456 123456789 12345678 1234567890 1234567 12345 qwerty qwertyuiop qwerty123 qwerty12 password password1 password123
passw0rd p@ssw0rd p@ssword 111111 11111111 000000 00000000 123123 123123123 1q2w3e4r 1q2w3e4r5t 1qaz2wsx zaq12wsx
abc123 abcd1234 abcdefgh iloveyou iloveyou1 princess sunshine football baseball dragon monkey letmein welcome welcome1
admin admin123 administrator master shadow superman batman trustno1 whatever starwars computer internet freedom
michael jennifer jordan23 hunter2 hunter123 hello123 asdfghjk asdfghjkl zxcvbnm zxcvbnm1 987654321 87654321 11223344
66666666 88888888 12341234 123qweasd q1w2e3r4 q1w2e3r4t5 changeme secret123 test1234 testtest guest123 default1
lösenord losenord lösenord1 losenord1 lösenord123 losenord123 sommar sommar123 sommar2024 sommar2025 sommar2026
vinter vinter123 hosten123 varen2026 hejhej hejhej123 hejsan hejsan123 sverige sverige1 sverige123 stockholm
göteborg goteborg malmö malmo uppsala norrtälje norrtalje lycksele norsjö norsjo kärlek karlek kanelbulle
mamma123 pappa123 hemlig hemligt hemlighet qwertyui uppdrag uppdragsbanken uppdragsbanken1 uppdragsbanken123
`;

const COMMON_PASSWORDS: ReadonlySet<string> = new Set(COMMON.split(/\s+/).filter((word) => word.length > 0));

export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.toLowerCase());
}
