/* setjmp/longjmp: return values, jumps out of nested calls, volatile locals, sigsetjmp restoring the signal mask. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>

static jmp_buf env;
static sigjmp_buf senv;
static int depth_reached;

static void dive(int depth)
{
    depth_reached = depth;
    if (depth == 50) longjmp(env, depth * 2);
    dive(depth + 1);
    printf("not reached\n");
}

static void jump_zero(void) { longjmp(env, 0); }

int main(void)
{
    volatile int counter = 0;
    int r = setjmp(env);
    printf("setjmp returned %d (counter %d)\n", r, counter);
    if (counter < 3) {
        counter++;
        longjmp(env, counter * 10);
    }

    if ((r = setjmp(env)) == 0) dive(1);
    printf("out of the dive with %d at depth %d\n", r, depth_reached);

    if ((r = setjmp(env)) == 0) jump_zero();
    printf("longjmp(env, 0) makes setjmp return %d\n", r);

    sigset_t set, now;
    sigemptyset(&set);
    sigprocmask(SIG_SETMASK, &set, NULL);
    if (sigsetjmp(senv, 1) == 0) {
        sigaddset(&set, SIGUSR1);
        sigprocmask(SIG_BLOCK, &set, NULL);
        sigprocmask(SIG_BLOCK, NULL, &now);
        printf("before siglongjmp SIGUSR1 blocked: %d\n", sigismember(&now, SIGUSR1));
        siglongjmp(senv, 1);
    }
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("after siglongjmp(savemask=1) SIGUSR1 blocked: %d\n", sigismember(&now, SIGUSR1));

    if (sigsetjmp(senv, 0) == 0) {
        sigprocmask(SIG_BLOCK, &set, NULL);
        siglongjmp(senv, 1);
    }
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("after siglongjmp(savemask=0) SIGUSR1 blocked: %d\n", sigismember(&now, SIGUSR1));
    return 0;
}
