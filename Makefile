# Convenience targets; tools/dev.sh does the work (it also installs what is
# missing, make included, so the README's commands call it directly).
.PHONY: run test bench fuzz clean
run:
	sh tools/dev.sh run
test:
	sh tools/dev.sh test
bench:
	sh tools/dev.sh bench
fuzz:
	sh tools/dev.sh fuzz
clean:
	rm -rf build build-asan build-fuzz build-bench build*.log
