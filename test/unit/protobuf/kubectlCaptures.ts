// Request bodies captured from kubectl v1.32.4 (-v=9 logs them in hex), each with the object
// kubectl prints for the same command with --dry-run=client -o json: the JSON encoding of the
// very Go struct it marshalled to protobuf, so the decoder must arrive at exactly that.

export interface Capture {
  command: string;
  hex: string;
  json: Record<string, unknown>;
}

export const serviceClusterIP: Capture = {
  command: 'kubectl create service clusterip cap1 --tcp=80:8080',
  hex:
    '6b3873000a0d0a027631120753657276696365126c0a210a046361703112001a0022002a003200380042005a0b0a0361' +
    '707012046361703112430a1b0a0738302d38303830120354435018502207080010903f1a002800120b0a036170701204' +
    '636170311a002209436c757374657249503a00420052005a00600068001a020a001a002200',
  json: {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: {
      name: 'cap1',
      creationTimestamp: null,
      labels: {
        app: 'cap1'
      }
    },
    spec: {
      ports: [
        {
          name: '80-8080',
          protocol: 'TCP',
          port: 80,
          targetPort: 8080
        }
      ],
      selector: {
        app: 'cap1'
      },
      type: 'ClusterIP'
    },
    status: {
      loadBalancer: {}
    }
  },
};

export const serviceNodePort: Capture = {
  command: 'kubectl create service nodeport cap2 --tcp=8080:80 --node-port=30099',
  hex:
    '6b3873000a0d0a027631120753657276696365126d0a210a046361703212001a0022002a003200380042005a0b0a0361' +
    '707012046361703212440a1d0a07383038302d3830120354435018903f2206080010501a002893eb01120b0a03617070' +
    '1204636170321a0022084e6f6465506f72743a00420052005a00600068001a020a001a002200',
  json: {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: {
      name: 'cap2',
      creationTimestamp: null,
      labels: {
        app: 'cap2'
      }
    },
    spec: {
      ports: [
        {
          name: '8080-80',
          protocol: 'TCP',
          port: 8080,
          targetPort: 80,
          nodePort: 30099
        }
      ],
      selector: {
        app: 'cap2'
      },
      type: 'NodePort'
    },
    status: {
      loadBalancer: {}
    }
  },
};

export const serviceLoadBalancer: Capture = {
  command: 'kubectl create service loadbalancer cap3 --tcp=5678:8080',
  hex:
    '6b3873000a0d0a02763112075365727669636512720a210a046361703312001a0022002a003200380042005a0b0a0361' +
    '707012046361703312490a1e0a09353637382d38303830120354435018ae2c2207080010903f1a002800120b0a036170' +
    '701204636170331a00220c4c6f616442616c616e6365723a00420052005a00600068001a020a001a002200',
  json: {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: {
      name: 'cap3',
      creationTimestamp: null,
      labels: {
        app: 'cap3'
      }
    },
    spec: {
      ports: [
        {
          name: '5678-8080',
          protocol: 'TCP',
          port: 5678,
          targetPort: 8080
        }
      ],
      selector: {
        app: 'cap3'
      },
      type: 'LoadBalancer'
    },
    status: {
      loadBalancer: {}
    }
  },
};

export const serviceExternalName: Capture = {
  command: 'kubectl create service externalname cap4 --external-name=example.com',
  hex:
    '6b3873000a0d0a027631120753657276696365125d0a210a046361703412001a0022002a003200380042005a0b0a0361' +
    '70701204636170341234120b0a036170701204636170341a00220c45787465726e616c4e616d653a004200520b657861' +
    '6d706c652e636f6d5a00600068001a020a001a002200',
  json: {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: {
      name: 'cap4',
      creationTimestamp: null,
      labels: {
        app: 'cap4'
      }
    },
    spec: {
      selector: {
        app: 'cap4'
      },
      type: 'ExternalName',
      externalName: 'example.com'
    },
    status: {
      loadBalancer: {}
    }
  },
};

export const deployment: Capture = {
  command: 'kubectl create deployment cap5 --image=nginx --port=80 --replicas=3',
  hex:
    '6b3873000a150a07617070732f7631120a4465706c6f796d656e7412bc010a210a046361703512001a0022002a003200' +
    '380042005a0b0a036170701204636170351288010803120d0a0b0a036170701204636170351a6d0a1d0a0012001a0022' +
    '002a003200380042005a0b0a03617070120463617035124c122e0a056e67696e7812056e67696e782a00320a0a001000' +
    '185022002a0042006a007200800100880100900100a201001a00320042004a0052005800600068008201008a01009a01' +
    '00c2010022020a00280038001a0c0800100018002000280038001a002200',
  json: {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: {
      name: 'cap5',
      creationTimestamp: null,
      labels: {
        app: 'cap5'
      }
    },
    spec: {
      replicas: 3,
      selector: {
        matchLabels: {
          app: 'cap5'
        }
      },
      template: {
        metadata: {
          creationTimestamp: null,
          labels: {
            app: 'cap5'
          }
        },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx',
              ports: [
                {
                  containerPort: 80
                }
              ],
              resources: {}
            }
          ]
        }
      },
      strategy: {}
    },
    status: {}
  },
};

export const namespace: Capture = {
  command: 'kubectl create namespace cap6',
  hex:
    '6b3873000a0f0a02763112094e616d657370616365121c0a140a046361703612001a0022002a0032003800420012001a' +
    '020a001a002200',
  json: {
    kind: 'Namespace',
    apiVersion: 'v1',
    metadata: {
      name: 'cap6',
      creationTimestamp: null
    },
    spec: {},
    status: {}
  },
};

/**
 * `kubectl debug rich2 --copy-to=rich2-copy --image=busybox --container=dbg`: a typed
 * client's Pod create, carrying the spec of a pod that was created from JSON. The spec the
 * server answered for that pod (below) is what the copy must decode to, apart from what
 * kubectl debug changes: it clears nodeName and appends the debug container.
 */
export const debugCopyHex =
    '6b3873000a090a0276311203506f6412a2080a300a0a72696368322d636f707912001a0764656661756c7422002a0032' +
    '0038004200620d0a046e6f7465120568656c6c6f12db070a130a0464617461120b12090a0012050a033147690a1c0a03' +
    '63666712159a01120a050a0363666712060a016b12017018a40312a8030a03617070120a6e67696e783a312e32352206' +
    '2d2d666c61672201782a042f73727632110a04687474701000185022035443502a00320e0a0010e92918352203554450' +
    '2a003a060a01411201623a210a08504f445f4e414d4512001a130a110a00120d6d657461646174612e6e616d653a1f0a' +
    '0343505512001a1612140a00120a6c696d6974732e6370751a040a02316d3a160a02434d12001a0e1a0c0a050a036366' +
    '6712016b180142400a0a0a0363707512030a01310a110a066d656d6f727912070a053132384d69120d0a036370751206' +
    '0a043130306d12100a066d656d6f727912060a0436344d694a130a046461746110011a052f646174612200320052180a' +
    '0c1a0a0a06080010501a001200100018002000280030045a280a1c121a0a082f6865616c74687a120a080110001a0468' +
    '7474701a00220010031800200528003000620e120c0a0a0a05736c6565700a01316a142f6465762f7465726d696e6174' +
    '696f6e2d6c6f67720c49664e6f7450726573656e747a0e0a051203414c4c20e807280138008001008801009001009a01' +
    '0d0a02505f1a070a050a03736563a2010446696c6512260a03646267120762757379626f782a0042006a007200800100' +
    '880100900100a2010446696c651a06416c77617973200f320c436c757374657246697273743a190a106b756265726e65' +
    '7465732e696f2f6f7312056c696e7578420764656661756c744a0764656661756c745200580060006800720328d00f82' +
    '010572696368328a01037375629201331a31122f080a122b0a11120f0a036170701202496e1a04726963681a166b7562' +
    '65726e657465732e696f2f686f73746e616d659a011164656661756c742d7363686564756c6572a2014f0a04696e6974' +
    '120762757379626f781a0273681a022d631a04747275652a0042006a142f6465762f7465726d696e6174696f6e2d6c6f' +
    '677206416c77617973800100880100900100a2010446696c65b201190a016b1205457175616c1a0176220a4e6f536368' +
    '6564756c65b201370a1e6e6f64652e6b756265726e657465732e696f2f756e726561636861626c651206457869737473' +
    '1a0022094e6f45786563757465283cb201360a1c6e6f64652e6b756265726e657465732e696f2f6e6f742d7265616479' +
    '12064578697374731a0022094e6f4578656375746528ac02c20100c80100f00101fa0114507265656d70744c6f776572' +
    '5072696f726974798a0227080112047a6f6e651a0e5363686564756c65416e79776179220d0a0b0a0361707012047269' +
    '63681a100a001a0022002a0032004a005a0072001a002200';

/** `kubectl get pod rich2 -o json`, .spec, from the emulator the capture was taken against. */
export const richPodSpecFromServer: Record<string, unknown> = {
  affinity: {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          podAffinityTerm: {
            labelSelector: {
              matchExpressions: [
                {
                  key: 'app',
                  operator: 'In',
                  values: [
                    'rich'
                  ]
                }
              ]
            },
            topologyKey: 'kubernetes.io/hostname'
          },
          weight: 10
        }
      ]
    }
  },
  containers: [
    {
      args: [
        '--flag',
        'x'
      ],
      env: [
        {
          name: 'A',
          value: 'b'
        },
        {
          name: 'POD_NAME',
          valueFrom: {
            fieldRef: {
              fieldPath: 'metadata.name'
            }
          }
        },
        {
          name: 'CPU',
          valueFrom: {
            resourceFieldRef: {
              divisor: '1m',
              resource: 'limits.cpu'
            }
          }
        },
        {
          name: 'CM',
          valueFrom: {
            configMapKeyRef: {
              key: 'k',
              name: 'cfg',
              optional: true
            }
          }
        }
      ],
      envFrom: [
        {
          prefix: 'P_',
          secretRef: {
            name: 'sec'
          }
        }
      ],
      image: 'nginx:1.25',
      imagePullPolicy: 'IfNotPresent',
      lifecycle: {
        preStop: {
          exec: {
            command: [
              'sleep',
              '1'
            ]
          }
        }
      },
      livenessProbe: {
        failureThreshold: 4,
        tcpSocket: {
          port: 80
        }
      },
      name: 'app',
      ports: [
        {
          containerPort: 80,
          name: 'http',
          protocol: 'TCP'
        },
        {
          containerPort: 53,
          hostPort: 5353,
          protocol: 'UDP'
        }
      ],
      readinessProbe: {
        httpGet: {
          path: '/healthz',
          port: 'http'
        },
        initialDelaySeconds: 3,
        periodSeconds: 5
      },
      resources: {
        limits: {
          cpu: '1',
          memory: '128Mi'
        },
        requests: {
          cpu: '100m',
          memory: '64Mi'
        }
      },
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: {
          drop: [
            'ALL'
          ]
        },
        runAsNonRoot: true,
        runAsUser: 1000
      },
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      volumeMounts: [
        {
          mountPath: '/data',
          name: 'data',
          readOnly: true
        }
      ],
      workingDir: '/srv'
    }
  ],
  dnsPolicy: 'ClusterFirst',
  enableServiceLinks: true,
  hostname: 'rich2',
  initContainers: [
    {
      command: [
        'sh',
        '-c',
        'true'
      ],
      image: 'busybox',
      imagePullPolicy: 'Always',
      name: 'init',
      resources: {},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File'
    }
  ],
  nodeName: 'ksl',
  nodeSelector: {
    'kubernetes.io/os': 'linux'
  },
  preemptionPolicy: 'PreemptLowerPriority',
  priority: 0,
  restartPolicy: 'Always',
  schedulerName: 'default-scheduler',
  securityContext: {
    fsGroup: 2000
  },
  serviceAccount: 'default',
  serviceAccountName: 'default',
  subdomain: 'sub',
  terminationGracePeriodSeconds: 15,
  tolerations: [
    {
      effect: 'NoSchedule',
      key: 'k',
      operator: 'Equal',
      value: 'v'
    },
    {
      effect: 'NoExecute',
      key: 'node.kubernetes.io/unreachable',
      operator: 'Exists',
      tolerationSeconds: 60
    },
    {
      effect: 'NoExecute',
      key: 'node.kubernetes.io/not-ready',
      operator: 'Exists',
      tolerationSeconds: 300
    }
  ],
  topologySpreadConstraints: [
    {
      labelSelector: {
        matchLabels: {
          app: 'rich'
        }
      },
      maxSkew: 1,
      topologyKey: 'zone',
      whenUnsatisfiable: 'ScheduleAnyway'
    }
  ],
  volumes: [
    {
      emptyDir: {
        sizeLimit: '1Gi'
      },
      name: 'data'
    },
    {
      configMap: {
        defaultMode: 420,
        items: [
          {
            key: 'k',
            path: 'p'
          }
        ],
        name: 'cfg'
      },
      name: 'cfg'
    }
  ]
};
