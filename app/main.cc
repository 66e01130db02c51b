#include <cstdio>
int main() { std::puts("mxsweep"); return 0; }
