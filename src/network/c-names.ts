/**
 * Names a generated C function must not take: C99 keywords, identifiers the C standard reserves
 * (a leading underscore, `int…_t`-style `_t` types), and the functions, types and macros of the C and
 * POSIX libraries and of <stdint.h> — a network named `printf` or `read` would clash with libc (a
 * warning for compiler built-ins, a silently replaced libc symbol at link time otherwise).
 */

const C_KEYWORDS =
  'auto break case char const continue default do double else enum extern float for goto if inline int long ' +
  'register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while ' +
  '_Bool _Complex _Imaginary _Alignas _Alignof _Atomic _Generic _Noreturn _Static_assert _Thread_local';

/** C99 library functions and macros (<stdio.h>, <stdlib.h>, <string.h>, <math.h>, <ctype.h>, …). */
const LIBC =
  // stdio
  'printf fprintf sprintf snprintf vprintf vfprintf vsprintf vsnprintf scanf fscanf sscanf vscanf vfscanf ' +
  'vsscanf puts fputs gets fgets putc fputc putchar getc fgetc getchar ungetc fopen freopen fclose fflush ' +
  'fread fwrite fseek ftell rewind fgetpos fsetpos clearerr feof ferror perror remove rename tmpfile tmpnam ' +
  'setbuf setvbuf stdin stdout stderr EOF BUFSIZ FILE NULL ' +
  // stdlib
  'malloc calloc realloc free abort exit atexit _Exit getenv system bsearch qsort abs labs llabs div ldiv ' +
  'lldiv atof atoi atol atoll strtod strtof strtold strtol strtoll strtoul strtoull rand srand mblen mbtowc ' +
  'wctomb mbstowcs wcstombs EXIT_SUCCESS EXIT_FAILURE RAND_MAX ' +
  // string
  'memcpy memmove memcmp memchr memset strcpy strncpy strcat strncat strcmp strncmp strcoll strxfrm strchr ' +
  'strrchr strspn strcspn strpbrk strstr strtok strerror strlen strdup strndup ' +
  // ctype
  'isalnum isalpha isblank iscntrl isdigit isgraph islower isprint ispunct isspace isupper isxdigit ' +
  'tolower toupper ' +
  // math
  'acos asin atan atan2 cos sin tan acosh asinh atanh cosh sinh tanh exp exp2 expm1 frexp ldexp log log10 ' +
  'log1p log2 logb ilogb modf scalbn scalbln cbrt fabs hypot pow sqrt erf erfc lgamma tgamma ceil floor ' +
  'nearbyint rint lrint llrint round lround llround trunc fmod remainder remquo copysign nan nextafter ' +
  'nexttoward fdim fmax fmin fma isnan isinf isfinite isnormal signbit fpclassify HUGE_VAL INFINITY NAN ' +
  'j0 j1 jn y0 y1 yn gamma exp10 pow10 drem significand ' +
  // assert, errno, setjmp, signal, time, locale, stdarg
  'assert errno setjmp longjmp signal raise time clock difftime mktime asctime ctime gmtime localtime ' +
  'strftime setlocale localeconv va_start va_arg va_end va_copy va_list offsetof size_t ptrdiff_t wchar_t ' +
  // POSIX and common GCC built-ins
  'read write open close lseek pipe fork dup dup2 unlink sleep usleep alarm kill pause getpid access ' +
  'stat fstat mmap munmap index rindex bzero bcopy bcmp ffs alloca environ optarg optind opterr ' +
  // stdint.h and stdbool.h
  'int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t intptr_t uintptr_t intmax_t uintmax_t ' +
  'INT8_MIN INT16_MIN INT32_MIN INT64_MIN INT8_MAX INT16_MAX INT32_MAX INT64_MAX UINT8_MAX UINT16_MAX ' +
  'UINT32_MAX UINT64_MAX INTMAX_MIN INTMAX_MAX UINTMAX_MAX INT8_C INT16_C INT32_C INT64_C UINT8_C UINT16_C ' +
  'UINT32_C UINT64_C INTMAX_C UINTMAX_C SIZE_MAX bool true false ' +
  // the program's entry point
  'main';

const RESERVED = new Set(`${C_KEYWORDS} ${LIBC}`.split(' '));

/**
 * Why `name` cannot name the exported C function, or null when it can: not an identifier, a keyword,
 * a reserved identifier, or a name of the C/POSIX library or <stdint.h>.
 */
export function cNameProblem(name: string): string | null {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return 'is not a valid C identifier';
  if (name.length > 63) return 'is longer than 63 characters (C99 guarantees 63 significant in names)';
  if (RESERVED.has(name)) return 'clashes with a C keyword or a name of the C library or <stdint.h>';
  if (name.startsWith('_')) return 'starts with _ (reserved by the C standard)';
  if (name.endsWith('_t')) return 'ends in _t (reserved for types by POSIX, as in int32_t)';
  return null;
}
