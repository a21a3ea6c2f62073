const node = { name: 'root' }; node.self = node; node.kids = [node]; console.log(node); 0
