// Each service as docker-compose created it and as sancho created it: every create-time field of `docker inspect`
// (HostConfig and Config), normalised (project names, compose's and sancho's labels; the few fields that cannot be
// equal are listed in parity.groovy's EXCLUDED with the reason), must be equal. The report names each field that
// differs, per service, with both values.
def lib = new GroovyShell().parse(new File(basedir, "parity.groovy"))
try {
    def log = new File(basedir, "build.log").text
    assert log.contains("Deployed p1: started sparity_logopts_p1") : "sancho's deploy did not finish"
    def compared = new TreeSet()
    def set = new TreeSet() // fields some service sets: the ones the comparison says something about
    def differences = []
    lib.SERVICES.each { svc ->
        [lib.composeName(svc), lib.sanchoName(svc)].each { n ->
            lib.CONTAINERS[lib.inspect(n).Id] = svc
            lib.CONTAINERS[n] = svc
        }
    }
    lib.SERVICES.each { svc ->
        def c = lib.inspect(lib.composeName(svc))
        def s = lib.inspect(lib.sanchoName(svc))
        lib.fields(c, s).each { field, pair ->
            compared << field
            if (pair[0] != null || pair[1] != null) set << field
            if (pair[0] != pair[1]) {
                differences << "  ${svc}: ${field}\n      docker-compose: ${lib.json(pair[0])}\n      sancho:         ${lib.json(pair[1])}"
            }
        }
    }
    // the network both created from networks.parity_net: its address management
    def ipam = [lib.COMPOSE_PROJECT, lib.SANCHO_PROJECT].collect { p ->
        def r = lib.docker("network", "inspect", "${p}_parity_net")
        assert r.code == 0 : "no network ${p}_parity_net: ${r.err}"
        lib.normalise(new groovy.json.JsonSlurper().parseText(r.out)[0].IPAM)
    }
    compared << "network parity_net: IPAM"
    set << "network parity_net: IPAM"
    if (ipam[0] != ipam[1]) {
        differences << "  network parity_net: IPAM\n      docker-compose: ${lib.json(ipam[0])}\n      sancho:         ${lib.json(ipam[1])}"
    }
    // the network created from networks.locked: its options (issue 23: internal was warned and not applied)
    def locked = [lib.COMPOSE_PROJECT, lib.SANCHO_PROJECT].collect { p ->
        def r = lib.docker("network", "inspect", "${p}_locked")
        assert r.code == 0 : "no network ${p}_locked: ${r.err}"
        def n = new groovy.json.JsonSlurper().parseText(r.out)[0]
        lib.normalise([Driver: n.Driver, Internal: n.Internal, Attachable: n.Attachable, EnableIPv6: n.EnableIPv6,
                       Options: n.Options, Labels: lib.labels(n)])
    }
    compared << "network locked: options"
    set << "network locked: options"
    if (locked[0] != locked[1]) {
        differences << "  network locked: options\n      docker-compose: ${lib.json(locked[0])}\n      sancho:         ${lib.json(locked[1])}"
    }
    assert locked[1].Internal == true && locked[1].Attachable == true : "sancho's network is not internal/attachable: ${locked[1]}"
    def mo = lib.mountOptions(lib.inspect(lib.sanchoName("mountopts")))
    assert mo["/cache"].size == 16777216 && mo["/data"].nocopy && mo["/conf2"].selinux == "z" :
            "sancho's mountopts lacks its mount options: ${mo}"
    assert lib.inspect(lib.sanchoName("mountopts")).HostConfig.RestartPolicy == [Name: "on-failure", MaximumRetryCount: 3]
    assert ipam[1].Config[0].AuxiliaryAddresses == [router: "<net>.5"] : "sancho's network lacks the aux address: ${ipam[1]}"
    def report = "compose-parity: ${compared.size()} fields compared in each of ${lib.SERVICES.size()} services," +
            " ${set.size()} of them set in at least one" +
            " (excluded: ${lib.EXCLUDED.keySet().join(', ')}); ${differences.size()} differ" +
            (differences.isEmpty() ? "" : ":\n" + differences.join("\n"))
    println report
    new File(basedir, "parity-report.txt").text = report + "\nset: " + set.join(", ") + "\nunset everywhere: " +
            (compared - set).join(", ") + "\n"
    assert differences.isEmpty() : report
} finally {
    lib.cleanup()
}
true
