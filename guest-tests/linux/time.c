/* Time: monotonic and real-time clocks move forward sanely, nanosleep sleeps at least as long as asked, and the
   calendar functions (gmtime, timegm, mktime in UTC, strftime) give fixed results for fixed inputs. */
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static long long ns(const struct timespec *t) { return t->tv_sec * 1000000000LL + t->tv_nsec; }

int main(void)
{
    struct timespec a, b, res;
    clock_gettime(CLOCK_MONOTONIC, &a);
    volatile unsigned spin = 0;
    for (int i = 0; i < 100000; i++) spin += i;
    clock_gettime(CLOCK_MONOTONIC, &b);
    long long d = ns(&b) - ns(&a);
    printf("monotonic difference non-negative %d, below 10 s %d\n", d >= 0, d < 10000000000LL);
    int backwards = 0;
    for (int i = 0; i < 1000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (ns(&b) < ns(&a)) backwards++;
        a = b;
    }
    printf("monotonic went backwards %d times\n", backwards);
    printf("tv_nsec in range %d\n", b.tv_nsec >= 0 && b.tv_nsec < 1000000000);

    struct timespec sleep = {0, 20 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &a);
    int r = nanosleep(&sleep, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    d = ns(&b) - ns(&a);
    printf("nanosleep 20 ms returned %d, slept at least 20 ms %d, less than 5 s %d\n", r, d >= 20000000, d < 5000000000LL);

    struct timespec real;
    clock_gettime(CLOCK_REALTIME, &real);
    time_t now = time(NULL);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    /* time() reads the kernel's coarse clock (the seconds of the last tick: vDSO time() and
       CLOCK_REALTIME_COARSE), which may still show the previous second after clock_gettime's
       fine clock has passed into the next, so it may be one behind. */
    printf("realtime after 2020 %d, time() agrees %d, gettimeofday agrees %d\n", real.tv_sec > 1577836800,
           now - real.tv_sec >= -1 && now - real.tv_sec < 5, tv.tv_sec - real.tv_sec >= 0 && tv.tv_sec - real.tv_sec < 5);
    printf("clock_getres monotonic ok %d\n", clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0);
    clock_t c = clock();
    printf("clock() non-negative %d\n", c >= 0);

    static const long long stamps[] = {0, 86399, 951782400 /* 2000-02-29 */, 1234567890, 2147483647, -1, -86400 * 365LL};
    char text[64];
    for (unsigned i = 0; i < sizeof stamps / sizeof stamps[0]; i++) {
        time_t t = (time_t)stamps[i];
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S %a %j", &tm);
        printf("%lld -> %s wday %d yday %d, timegm back %lld\n", stamps[i], text, tm.tm_wday, tm.tm_yday, (long long)timegm(&tm));
    }
    struct tm tm = {0};
    tm.tm_year = 124;
    tm.tm_mon = 1;
    tm.tm_mday = 30;
    tm.tm_hour = 25; /* 30 February 2024, 25:00, is normalised to 2 March, 01:00 */
    time_t t = mktime(&tm);
    strftime(text, sizeof text, "%Y-%m-%d %H:%M %Z", &tm);
    printf("mktime normalised %s = %lld\n", text, (long long)t);
    printf("difftime %.1f\n", difftime((time_t)1000, (time_t)250));
    char asc[32];
    time_t fixed = 1000000000;
    printf("asctime %s", asctime_r(gmtime(&fixed), asc));
    return 0;
}
