// SPDX-License-Identifier: GPL-2.0-only
/* kwscan.c - finding, in a large log, the next line the OOM report parser must read. */
#include "observe/kwscan.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define KWSCAN_AVX2 1
#endif

/*
 * Outside a report, only a line holding one of these words can open an event, join one or
 * end it: each matcher of oomreport.c up to the task table's header needs one ("Kernel
 * panic", "invoked oom-killer", "Killed process", "Kill process", "oom-kill:", "OOM victim",
 * "Out of memory", "memory.oom.group", "oom_reaper", "[ pid ]", SysRq's "Manual OOM
 * execution", a report's middle: "Task in", "Tasks state", "memory: usage", "Memory cgroup
 * stats for"; journalctl's "-- Boot"). Each begins with one of ten triples, "pan", "pid",
 * "oom", "OOM", "Out", "ill", "Tas", ": u", "Mem" and "-- ", which the scans below look for.
 */
#define KWSCAN_KEYWORD(s) { s, sizeof(s) - 1 }
static const struct {
	const char *s;
	size_t n;
} keywords[] = {
	KWSCAN_KEYWORD("panic"), KWSCAN_KEYWORD("pid"), KWSCAN_KEYWORD("oom"), KWSCAN_KEYWORD("OOM"),
	KWSCAN_KEYWORD("Out of memory"), KWSCAN_KEYWORD("ill process"),
	KWSCAN_KEYWORD("illed process"), KWSCAN_KEYWORD("Task in "), KWSCAN_KEYWORD("Tasks state"),
	KWSCAN_KEYWORD(": usage "), KWSCAN_KEYWORD("Memory cgroup stats for "),
	KWSCAN_KEYWORD("-- Boot "), KWSCAN_KEYWORD("-- Reboot --"),
};

const char *kwscan_keyword(size_t i)
{
	return i < sizeof(keywords) / sizeof(keywords[0]) ? keywords[i].s : NULL;
}

int kwscan_at(const char *p, const char *end)
{
	size_t i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (*p == keywords[i].s[0] && (size_t)(end - p) >= keywords[i].n &&
		    !memcmp(p, keywords[i].s, keywords[i].n))
			return 1;
	return 0;
}

/*
 * The portable scan reads 16 bytes at a time as vectors (the GCC vector extension, which
 * clang also has: SSE2 on x86-64, NEON on arm64, plain code elsewhere). With a, b and c
 * holding the bytes at p + i, p + i + 1 and p + i + 2 in lane i, a few lane-wise compares
 * tell where a triple begins in the block. Mostly none does, and the block is passed whole;
 * where one does (a "will" is enough), kwscan_at() decides at that byte only. The last bytes
 * of the buffer are read byte by byte. A keyword holds no '\n', so it lies in the line it
 * begins in.
 */
typedef unsigned char kwscan_vec __attribute__((vector_size(16)));

static kwscan_vec load_vec(const char *p)
{
	kwscan_vec v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* A lane-wise compare gives -1 (all bits set) where true, 0 where false. */
static kwscan_vec triples_at(kwscan_vec a, kwscan_vec b, kwscan_vec c)
{
	return (kwscan_vec)(((a == 'p') & (((b == 'a') & (c == 'n')) | ((b == 'i') & (c == 'd')))) |
			    ((a == 'o') & (b == 'o') & (c == 'm')) |
			    ((a == 'O') & (((b == 'O') & (c == 'M')) | ((b == 'u') & (c == 't')))) |
			    ((a == 'i') & (b == 'l') & (c == 'l')) |
			    ((a == 'T') & (b == 'a') & (c == 's')) |
			    ((a == ':') & (b == ' ') & (c == 'u')) |
			    ((a == 'M') & (b == 'e') & (c == 'm')) |
			    ((a == '-') & (b == '-') & (c == ' ')));
}

/* The first lane of a word of lanes that is all ones, and that lane's bits in the word */
static unsigned int first_lane(uint64_t w)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (unsigned int)__builtin_ctzll(w) / 8;
#else
	return (unsigned int)__builtin_clzll(w) / 8;
#endif
}

static uint64_t lane_bits(unsigned int lane)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return 0xffULL << (8 * lane);
#else
	return 0xffULL << (8 * (7 - lane));
#endif
}

const char *kwscan_find_generic(const char *p, const char *end)
{
	uint64_t w[sizeof(kwscan_vec) / 8];
	kwscan_vec t;
	size_t i;

	for (; (size_t)(end - p) >= sizeof(kwscan_vec) + 2; p += sizeof(kwscan_vec)) {
		t = triples_at(load_vec(p), load_vec(p + 1), load_vec(p + 2));
		memcpy(w, &t, sizeof(w));
		/* only the lanes where a triple begins are tried, in order */
		for (i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
			while (w[i]) {
				unsigned int lane = first_lane(w[i]);

				if (kwscan_at(p + 8 * i + lane, end))
					return p + 8 * i + lane;
				w[i] &= ~lane_bits(lane);
			}
		}
	}
	for (; p < end; p++)
		if (kwscan_at(p, end))
			return p;
	return end;
}

#ifdef KWSCAN_AVX2
/*
 * With AVX2 (chosen at run time: the build targets plain x86-64), 32 bytes at a time and far
 * fewer instructions, by classifying nibbles with table lookups (vpshufb), as Hyperscan's
 * "Teddy" does. The triples fall into buckets by their first byte, one bit each; for each of
 * a triple's three bytes, one table holds, per value of its low nibble, the buckets whose
 * triples have that low nibble there, and another the same for the high nibble. A lane where
 * the six lookups for the bytes at p + i, p + i + 1 and p + i + 2 share a bucket may begin a
 * triple: nibbles shared between buckets' triples let more through ("pad" for "pan"), never
 * fewer, and kwscan_at() decides for each.
 */
static uint8_t nibble_lo[3][16], nibble_hi[3][16];

/* Fills the tables. Returns 0, or -1 when the keywords begin with more bytes than buckets. */
static int build_nibble_tables(void)
{
	char firsts[8] = { 0 };
	size_t i, j, b;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		const unsigned char *t = (const unsigned char *)keywords[i].s;

		for (b = 0; b < sizeof(firsts) && firsts[b] && firsts[b] != (char)t[0]; b++)
			;
		if (b == sizeof(firsts))
			return -1;
		firsts[b] = (char)t[0];
		for (j = 0; j < 3; j++) {
			nibble_lo[j][t[j] & 15] |= (uint8_t)(1u << b);
			nibble_hi[j][t[j] >> 4] |= (uint8_t)(1u << b);
		}
	}
	return 0;
}

__attribute__((target("avx2"))) static __m256i classify(__m256i v, __m256i lo, __m256i hi)
{
	const __m256i low = _mm256_set1_epi8(0x0f);

	return _mm256_and_si256(_mm256_shuffle_epi8(lo, _mm256_and_si256(v, low)),
				_mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16(v, 4),
									 low)));
}

__attribute__((target("avx2"))) static __m256i table(const uint8_t t[16])
{
	return _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)t));
}

/* With nl, the '\n's before the keyword are counted into *nl on the way. */
__attribute__((target("avx2"))) static const char *find_avx2(const char *p, const char *end,
							      size_t *nl)
{
	const __m256i lo0 = table(nibble_lo[0]), hi0 = table(nibble_hi[0]);
	const __m256i lo1 = table(nibble_lo[1]), hi1 = table(nibble_hi[1]);
	const __m256i lo2 = table(nibble_lo[2]), hi2 = table(nibble_hi[2]);
	const __m256i zero = _mm256_setzero_si256(), newline = _mm256_set1_epi8('\n');
	const char *found;
	size_t count = 0;

	for (; end - p >= 32 + 2; p += 32) {
		__m256i v = _mm256_loadu_si256((const __m256i *)p);
		__m256i m = _mm256_and_si256(
			_mm256_and_si256(classify(v, lo0, hi0),
					 classify(_mm256_loadu_si256((const __m256i *)(p + 1)), lo1, hi1)),
			classify(_mm256_loadu_si256((const __m256i *)(p + 2)), lo2, hi2));
		uint32_t lanes, nls = 0;

		if (nl)
			nls = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, newline));
		if (_mm256_testz_si256(m, m)) {
			count += (size_t)__builtin_popcount(nls);
			continue;
		}
		/* the lanes where a triple may begin, in order */
		lanes = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(m, zero));
		while (lanes) {
			int lane = __builtin_ctz(lanes);

			if (kwscan_at(p + lane, end)) {
				if (nl)
					*nl += count + (size_t)__builtin_popcount(nls & ((1u << lane) - 1));
				return p + lane;
			}
			lanes &= lanes - 1;
		}
		count += (size_t)__builtin_popcount(nls);
	}
	found = kwscan_find_generic(p, end);
	if (nl)
		*nl += count + kwscan_newlines(p, found);
	return found;
}
#endif

#ifdef KWSCAN_AVX2
static int avx2;

static void choose_avx2(void)
{
	__builtin_cpu_init();
	avx2 = __builtin_cpu_supports("avx2") && !build_nibble_tables();
}

/* Set once, whichever thread parses first */
static int have_avx2(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, choose_avx2);
	return avx2;
}
#endif

const char *kwscan_find(const char *p, const char *end, size_t *newlines)
{
	const char *found;

#ifdef KWSCAN_AVX2
	if (have_avx2())
		return find_avx2(p, end, newlines);
#endif
	found = kwscan_find_generic(p, end);
	if (newlines)
		*newlines += kwscan_newlines(p, found);
	return found;
}

/*
 * The number of '\n' in [p, end), 16 bytes at a time: each lane of acc counts the newlines in
 * its column (a true compare is -1, so subtracting it adds 1) for up to 255 blocks.
 */
size_t kwscan_newlines(const char *p, const char *end)
{
	size_t nl = 0, i;

	while ((size_t)(end - p) >= sizeof(kwscan_vec)) {
		kwscan_vec acc = { 0 };

		for (i = 0; i < 255 && (size_t)(end - p) >= sizeof(kwscan_vec); i++) {
			acc -= (kwscan_vec)(load_vec(p) == '\n');
			p += sizeof(kwscan_vec);
		}
		for (i = 0; i < sizeof(acc); i++)
			nl += acc[i];
	}
	for (; p < end; p++)
		nl += *p == '\n';
	return nl;
}
