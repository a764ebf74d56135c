module wireport/bench/soak

go 1.19
