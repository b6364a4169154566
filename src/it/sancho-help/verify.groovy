def log = new File(basedir, "build.log").text
assert log.contains("sancho:ensure-volume") : "help must list ensure-volume"
assert log.contains("sancho:help")
true
