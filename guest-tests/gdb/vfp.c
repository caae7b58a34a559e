/* The VFP register session (vfp.gdb): built for a Cortex-A9 with
 * -mfloat-abi=softfp -mfpu=vfpv3, so the doubles and floats live in
 * d and s registers (d16-d31 included) while calls pass them in core ones. */
double scale(double x, float f) { return x * f + 0.5; }

int main(void)
{
    volatile double d = 1.25;
    volatile float f = 3.5f;
    double r = scale(d, f);
    return (int)r;
}
